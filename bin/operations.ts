/**
 * Operator commands on a deployment's table (`npx timescales load-feed | recompute |
 * rebuild-reports`), in AWS
 * with the operator's credentials or locally against DynamoDB Local (`--endpoint`).
 *
 * Configuration is the Lambdas' own: `TABLE_NAME`, `AUTHORITY_CONFIG` and (for `recompute`
 * in AWS) the `SCHEDULE_GROUP`, `SCHEDULER_ROLE_ARN`, `TIMER_TARGET_ARN`, `SCHEDULER_DLQ_ARN`
 * variables, from the environment or from `--lambda-env <file>` (the JSON that
 * `aws lambda get-function-configuration --query Environment.Variables` prints). `--table`
 * overrides the table. With `--endpoint` the defaults are `npm start`'s (table
 * `timescales-local`, its example authority) and timers go to the local driver's timer store.
 */
import { readFileSync } from 'node:fs';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type RebuildSummary, rebuildReports } from '#functions/operations/rebuild-reports.js';
import {
  type RecomputeSummary,
  recomputeOpenCases,
} from '#functions/operations/recompute-cases.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { Scheduler } from '#kernel/ports.js';
import { makeDocumentClient } from '#platform/clients.js';
import { ConfigError, parseConfig } from '#platform/config.js';
import {
  FEED_MAX_AGE_MS,
  feedSummary,
  getCalendarFeed,
  InvalidFeedError,
  parseGovUkFeed,
  putCalendarFeed,
} from '#platform/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { DynamoReportStore } from '#platform/dynamodb/report-store.js';
import { schedulerDatabaseTimers } from '#platform/dynamodb/timer-store.js';
import { makeEventBridgeScheduler } from '#platform/scheduler/index.js';
import { AuthorityConfig } from '#schemas/authority.js';
import { DEFAULT_TABLE, localAuthority, localBaseUrl } from './local-defaults.js';

/** A problem the operator must fix (bad feed, missing configuration): no stack trace. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

export interface TableOptions {
  table?: string | undefined;
  endpoint?: string | undefined;
  lambdaEnv?: string | undefined;
  /** The environment to read (tests pass their own). @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface Target {
  client: DynamoDBDocumentClient;
  tableName: string;
  authority: AuthorityConfig;
  env: NodeJS.ProcessEnv;
}

function readJson(path: string, what: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new OperatorError(`cannot read ${what} ${path}: ${(error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new OperatorError(`${what} ${path} is not JSON: ${(error as Error).message}`);
  }
}

/** The table, client and authority the options name (the Lambdas' own configuration). */
export function target(options: TableOptions): Target {
  const fileEnv =
    options.lambdaEnv === undefined
      ? {}
      : (readJson(options.lambdaEnv, 'the Lambda environment') as NodeJS.ProcessEnv);
  const env = { ...(options.env ?? process.env), ...fileEnv };
  const local = options.endpoint !== undefined;
  if (local) {
    env.AWS_ACCESS_KEY_ID ??= 'local';
    env.AWS_SECRET_ACCESS_KEY ??= 'local';
    process.env.AWS_ACCESS_KEY_ID ??= env.AWS_ACCESS_KEY_ID;
    process.env.AWS_SECRET_ACCESS_KEY ??= env.AWS_SECRET_ACCESS_KEY;
    process.env.AWS_REGION ??= env.AWS_REGION ?? 'eu-west-2';
  }
  const tableName = options.table ?? env.TABLE_NAME ?? (local ? DEFAULT_TABLE : undefined);
  if (tableName === undefined) {
    throw new OperatorError(
      "name the target: --table <name> or TABLE_NAME (or --lambda-env <file>) for a deployment's table, or --endpoint <url> for npm start's DynamoDB Local (npm start prints its address)",
    );
  }
  let authority: unknown = local ? localAuthority(localBaseUrl(env)) : undefined;
  if (env.AUTHORITY_CONFIG !== undefined) {
    try {
      authority = JSON.parse(env.AUTHORITY_CONFIG);
    } catch {
      throw new OperatorError('AUTHORITY_CONFIG is not valid JSON');
    }
  }
  if (authority === undefined) {
    throw new OperatorError(
      'AUTHORITY_CONFIG is required (the Lambdas use it to build the calendar and rules): set it or pass --lambda-env',
    );
  }
  const parsed = AuthorityConfig.safeParse(authority);
  if (!parsed.success) {
    throw new OperatorError(
      `AUTHORITY_CONFIG: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return {
    client: makeDocumentClient({ endpoint: options.endpoint }),
    tableName,
    authority: parsed.data,
    env,
  };
}

export interface LoadFeedResult {
  years: number[];
  divisions: string[];
  sha256: string;
  calendarVersionBefore: string;
  calendarVersionAfter: string;
}

/** Validates a GOV.UK feed file and stores it as the deployment's feed. */
export async function loadFeed(
  file: string,
  options: TableOptions & { now?: Date },
): Promise<LoadFeedResult> {
  const feedJson = readJson(file, 'the feed');
  const t = target(options);
  let stored: Awaited<ReturnType<typeof putCalendarFeed>>;
  const before = await getCalendarFeed(t.client, t.tableName);
  try {
    // The format first, then this authority's calendar with it, before storing anything.
    makeCaseEngine(t.authority, undefined, { feed: parseGovUkFeed(feedJson) });
    stored = await putCalendarFeed(t.client, t.tableName, feedJson, options.now ?? new Date());
  } catch (error) {
    if (error instanceof InvalidFeedError) throw new OperatorError(`${file}: ${error.message}`);
    if ((error as Error).name === 'InvalidCalendarOptionsError')
      throw new OperatorError(`${file} is unusable: ${(error as Error).message}`);
    throw error;
  }
  const { years, divisions } = feedSummary(stored.feed);
  return {
    years,
    divisions,
    sha256: stored.sha256,
    calendarVersionBefore: makeCaseEngine(t.authority, undefined, { feed: before?.feed }).calendar
      .version,
    calendarVersionAfter: makeCaseEngine(t.authority, undefined, { feed: stored.feed }).calendar
      .version,
  };
}

/**
 * Recomputes every case with an open deadline with the stored feed and the configured rules,
 * and moves their timers. `warn` hears about a feed loaded less than five minutes ago (warm
 * Lambdas may still compute with the previous one: run it again after that).
 */
export async function recomputeAll(
  options: TableOptions & {
    scheduler?: Scheduler;
    now?: () => Date;
    warn?: (message: string) => void;
  },
): Promise<RecomputeSummary> {
  const t = target(options);
  const feed = await getCalendarFeed(t.client, t.tableName);
  const clock = { now: options.now ?? (() => new Date()) };
  if (feed !== undefined && clock.now().getTime() - Date.parse(feed.loadedAt) < FEED_MAX_AGE_MS) {
    options.warn?.(
      `the feed was loaded at ${feed.loadedAt}: running Lambdas pick it up within 5 minutes, so run recompute again after ${new Date(Date.parse(feed.loadedAt) + FEED_MAX_AGE_MS).toISOString()}`,
    );
  }
  const scheduler = options.scheduler ?? schedulerFor(t, options);
  const engine = makeCaseEngine(t.authority, undefined, { feed: feed?.feed });
  return recomputeOpenCases({
    store: new DynamoCaseStore(t.client, t.tableName),
    engine,
    scheduler,
    clock,
    reminderAudit: new DynamoReminderAudit(t.client, t.tableName),
    log: {
      warn: (message, fields) => options.warn?.(`${message} ${JSON.stringify(fields ?? {})}`),
    },
  });
}

/** Recomputes the compliance report's counters from every case's deadlines. */
export async function rebuildAllReports(options: TableOptions): Promise<RebuildSummary> {
  const t = target(options);
  const store = new DynamoReportStore(t.client, t.tableName);
  return rebuildReports({ cases: store, reports: store });
}

/**
 * Where timers go: with `--endpoint`, the local driver's timer store in the scheduler's database
 * of that DynamoDB Local (what `npm start` fires);
 * in AWS, EventBridge Scheduler as the Lambdas' environment configures it.
 */
export function schedulerFor(t: Target, options: TableOptions): Scheduler {
  if (options.endpoint !== undefined) {
    const timers = schedulerDatabaseTimers(options.endpoint, t.tableName);
    return { schedule: (list) => timers.put(list), cancel: (names) => timers.delete(names) };
  }
  try {
    return makeEventBridgeScheduler(parseConfig({ ...t.env, TABLE_NAME: t.tableName }));
  } catch (error) {
    if (error instanceof ConfigError || (error as Error).message.startsWith('Invalid'))
      throw new OperatorError((error as Error).message);
    throw error;
  }
}
