/**
 * What every Lambda of the process shares in AWS: its configuration (`config()`), its
 * DynamoDB document client and the rule engine on the stored bank-holiday feed — each made
 * once, on first use (`lazy`: a failed start is retried by the next invocation).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { calendarFeed } from '#adapters/dynamodb/calendar-feed.js';
import { makeDocumentClient } from '#commons/clients.js';
import { type AuthorityConfig, config } from '#commons/config.js';
import { lazy } from '#commons/lazy.js';
import { type BoundEngine, makeCaseEngine } from '#use-cases/bind-engine.js';

/** The process's document client (`DYNAMODB_ENDPOINT` points it at DynamoDB Local). */
export const documentClient: () => DynamoDBDocumentClient = lazy(() =>
  makeDocumentClient({ endpoint: config().dynamoEndpoint }),
);

/**
 * The engine on the authority's rules and calendar, with the operator's feed from the table
 * (loaded now: no request computes with the wrong holidays; re-checked every few minutes).
 */
export async function engineWithStoredFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
  authority: AuthorityConfig,
): Promise<BoundEngine> {
  return makeCaseEngine(authority, undefined, { feed: await calendarFeed(client, tableName) });
}

/** The process's engine in AWS. */
export const awsEngine: () => Promise<BoundEngine> = lazy(() =>
  engineWithStoredFeed(documentClient(), config().tableName, config().authority),
);
