/**
 * POST /v1/events — the signed webhook. Thin: check size, signature, content type and JSON,
 * then hand the body to the `ingestEvent` use case and map its answer or error.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { calendarFeed } from '#adapters/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { DynamoReminderAudit } from '#adapters/dynamodb/send-claims.js';
import { parseJson, rawBody, requireJsonContentType } from '#commons/body.js';
import { dynamo, readSecret } from '#commons/clients.js';
import { config } from '#commons/config.js';
import type { HttpResult } from '#commons/http.js';
import { logger } from '#commons/logger.js';
import { errorResult } from '#commons/respond.js';
import { makeWebhookVerifier } from '#commons/webhook.js';
import { canonicalJson } from '#domain/ids.js';
import { systemClock } from '#domain/ports.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';
import { productionScheduler } from '#use-cases/bind-scheduler.js';
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

let production: Promise<EventsHandler> | undefined;

/** Production wiring, built once at cold start: config, secret, clients, adapters, engine. */
async function productionHandler(): Promise<EventsHandler> {
  const cfg = config();
  const secret =
    cfg.webhookSecret ??
    (cfg.webhookSecretArn === undefined ? undefined : await readSecret(cfg.webhookSecretArn));
  if (secret === undefined)
    throw new Error('Invalid configuration: set WEBHOOK_SECRET or WEBHOOK_SECRET_ARN');
  const client = dynamo(cfg.dynamoEndpoint);
  const directory = new DynamoDirectory(client, cfg.tableName);
  return makeHandler({
    webhookSecret: secret,
    store: new DynamoCaseStore(client, cfg.tableName),
    directory,
    people: directory,
    engine: makeCaseEngine(cfg.authority, undefined, {
      feed: await calendarFeed(client, cfg.tableName),
    }),
    scheduler: await productionScheduler(cfg),
    reminderAudit: new DynamoReminderAudit(client, cfg.tableName),
    clock: systemClock,
  });
}

export const handler = middy<APIGatewayProxyEventV2, HttpResult>().handler(async (event) => {
  // A failed start (say, Secrets Manager unreachable) is retried by the next invocation.
  production ??= productionHandler().catch((error: unknown) => {
    production = undefined;
    throw error;
  });
  return (await production)(event);
});
