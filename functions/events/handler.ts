/**
 * POST /v1/events — the signed webhook. Thin: check size, signature, content type and JSON,
 * then hand the body to the `ingestEvent` use case and map its answer or error.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { parseJson, rawBody, requireJsonContentType } from '#commons/body.js';
import type { HttpResult } from '#commons/http.js';
import { lazy } from '#commons/lazy.js';
import { logger } from '#commons/logger.js';
import { errorResult } from '#commons/respond.js';
import { makeWebhookVerifier } from '#commons/webhook.js';
import { canonicalJson } from '#domain/ids.js';
import { awsEventsDeps } from '#functions/wiring/events.js';
import { type IngestDeps, ingestEvent } from '#use-cases/ingest-event.js';

export interface EventsHandlerDeps extends IngestDeps {
  webhookSecret: string;
}

export type EventsHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

export function makeHandler(deps: EventsHandlerDeps): EventsHandler {
  const verifier = makeWebhookVerifier(deps.webhookSecret);
  const ingest: IngestDeps = { ...deps, log: deps.log ?? logger };
  return async (event) => {
    try {
      const bytes = rawBody(event);
      verifier.verify(bytes, event.headers);
      requireJsonContentType(event.headers);
      const answer = await ingestEvent(parseJson(bytes), ingest);
      // Canonical JSON: the stored answer replays byte for byte, whatever order the store
      // gives its keys back in.
      return {
        statusCode: answer.statusCode,
        headers: { 'content-type': 'application/json' },
        body: canonicalJson(answer.body),
      };
    } catch (error) {
      return errorResult(error, event.rawPath);
    }
  };
}

/** Built on the first invocation (a failed start, say Secrets Manager unreachable, is retried by the next). */
const production = lazy(async () => makeHandler(await awsEventsDeps()));

export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => (await production())(event));
