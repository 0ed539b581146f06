/** The rule engine as every entry point builds it: AWS Lambdas and local mode alike. */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type BoundEngine, makeCaseEngine } from '#kernel/engine/bound.js';
import { type BoundSettings, bindSettings } from '#kernel/engine/calendars.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { calendarFeed } from './dynamodb/calendar-feed.js';

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

/** The authority's rules, plans and calendars on the stored feed, without the engine (pages). */
export async function settingsWithStoredFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
  authority: AuthorityConfig,
): Promise<BoundSettings> {
  return bindSettings(authority, await calendarFeed(client, tableName));
}
