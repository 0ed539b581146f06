/**
 * POST /v1/events — the signed webhook. Thin: check size, the signature over the bytes as
 * received, content type, then UTF-8 and JSON; then hand the body to the `ingestEvent` use
 * case and map its answer or error.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { canonicalJson } from '#kernel/ids.js';
import { parseJson, rawBody, requireJsonContentType } from '#platform/body.js';
import { type HttpResult, jsonText } from '#platform/http.js';
import { entry, httpLambda, type LambdaHandler } from '#platform/lambda.js';
import { logger } from '#platform/logger.js';
import { makeWebhookVerifier } from '#platform/webhook.js';
import { type IngestDeps, ingestEvent } from './ingest-event.js';
import { awsEventsDeps, type EventsHandlerDeps } from './wiring.js';

export type EventsHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

export function makeHandler(deps: EventsHandlerDeps): EventsHandler {
  const verifier = makeWebhookVerifier(deps.webhookSecret);
  const ingest: IngestDeps = { ...deps, log: deps.log ?? logger };
  return httpLambda(async (event) => {
    const bytes = rawBody(event);
    verifier.verify(bytes, event.headers);
    requireJsonContentType(event.headers);
    const answer = await ingestEvent(parseJson(bytes), ingest);
    // Canonical JSON: the stored answer replays byte for byte, whatever order the store
    // gives its keys back in.
    return jsonText(answer.statusCode, canonicalJson(answer.body));
  });
}

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(async () => makeHandler(await awsEventsDeps()));
