/**
 * The operator's GOV.UK bank-holidays feed, kept as one config item in the single table
 * (`CONFIG` / `BANK-HOLIDAYS`: the feed as JSON, its sha256, when it was loaded), so a newer
 * feed reaches a running deployment without a code change (Lambda environment variables stop
 * at 4 KB; the feed is about 20 KB).
 *
 * `calendarFeed(client, table)` is what the handlers use: one GetItem at cold start, then at
 * most one small re-check (the sha256 only) every `maxAgeMs`, in the background, so a warm
 * Lambda picks up a newly loaded feed within about five minutes.
 */
import { createHash } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  CalendarError,
  createCalendar,
  DIVISIONS,
  type Division,
  type GovUkFeed,
} from '#kernel/calendar/index.js';
import * as z from '#schemas/zod.js';
import { logger } from '../logger.js';
import { busyAware } from './busy.js';
import * as keys from './keys.js';

const GovUkEventSchema = z.object({
  title: z.string().check(z.trim(), z.minLength(1, 'must not be empty')),
  date: z.iso.date('must be a YYYY-MM-DD date'),
  notes: z.string(),
  bunting: z.boolean(),
});

const GovUkDivisionSchema = z.object({
  division: z.string(),
  events: z.array(GovUkEventSchema).check(z.minLength(1, 'must list at least one event')),
});

/** GOV.UK's bank-holidays.json (https://www.gov.uk/bank-holidays.json), as published. */
export const GovUkFeedSchema = z
  .object({
    'england-and-wales': z.optional(GovUkDivisionSchema),
    scotland: z.optional(GovUkDivisionSchema),
    'northern-ireland': z.optional(GovUkDivisionSchema),
  })
  .check(
    z.refine((feed) => DIVISIONS.some((d) => feed[d] !== undefined), {
      message: `lists none of the divisions ${DIVISIONS.join(', ')}`,
    }),
  );

/** A feed that is not GOV.UK's bank-holidays.json format; the message names every problem. */
export class InvalidFeedError extends Error {
  override name = 'InvalidFeedError';
}

/**
 * Validates a GOV.UK feed (already parsed JSON) and checks that a calendar can be built from it
 * for every division it lists.
 * @throws InvalidFeedError naming each bad field, e.g. `england-and-wales.events[3].date: …`.
 */
export function parseGovUkFeed(value: unknown): GovUkFeed {
  const result = GovUkFeedSchema.safeParse(value);
  if (!result.success) {
    const lines = result.error.issues
      .slice(0, 10)
      .map((i) => `  ${formatPath(i.path) || '(feed)'}: ${i.message}`);
    throw new InvalidFeedError(
      `not a GOV.UK bank-holidays feed (https://www.gov.uk/bank-holidays.json format):\n${lines.join('\n')}`,
    );
  }
  const feed = result.data as GovUkFeed;
  for (const division of DIVISIONS) {
    if (feed[division] === undefined) continue;
    try {
      createCalendar({ division, feed });
    } catch (error) {
      if (!(error instanceof CalendarError)) throw error;
      throw new InvalidFeedError(`the ${division} feed is unusable: ${error.message}`);
    }
  }
  return feed;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/** The stored feed. */
export interface StoredFeed {
  feed: GovUkFeed;
  sha256: string;
  loadedAt: string;
}

/** sha256 of the feed's JSON as stored. */
export function feedSha256(json: string): string {
  return createHash('sha256').update(json).digest('hex');
}

/** The stored feed, or undefined when none was ever loaded. */
export async function getCalendarFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<StoredFeed | undefined> {
  const { Item } = await client.send(
    new GetCommand({ TableName: tableName, Key: keys.calendarFeed() }),
  );
  if (Item === undefined) return undefined;
  return {
    feed: parseGovUkFeed(JSON.parse(Item.feed as string)),
    sha256: Item.sha256 as string,
    loadedAt: Item.loadedAt as string,
  };
}

/** Validates and stores a feed (replacing the previous one); returns what was stored. */
export async function putCalendarFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
  value: unknown,
  now: Date,
): Promise<StoredFeed> {
  const feed = parseGovUkFeed(value);
  const json = JSON.stringify(feed);
  const stored: StoredFeed = { feed, sha256: feedSha256(json), loadedAt: now.toISOString() };
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keys.calendarFeed(),
        entity: 'calendar-feed',
        feed: json,
        sha256: stored.sha256,
        loadedAt: stored.loadedAt,
      },
    }),
  );
  return stored;
}

/** What the engine reads the feed through: synchronous, refreshed behind the scenes. */
export interface FeedSource {
  /** The feed in use (undefined: none loaded, the built-in tables apply). */
  current(): StoredFeed | undefined;
}

/** Five minutes: how stale a warm Lambda's feed may be. */
export const FEED_MAX_AGE_MS = 5 * 60_000;

/**
 * The stored feed, cached in the process. `ready()` loads it (awaited at cold start);
 * `current()` returns the cached feed and, when it was last checked more than `maxAgeMs`
 * ago, starts one background re-check that reads only the sha256 and fetches the feed only
 * when it changed. A failed re-check keeps the feed in use and tries again next time.
 */
export class CachedCalendarFeed implements FeedSource {
  #feed: StoredFeed | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #loaded = false;
  #inFlight: Promise<void> | undefined;
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly options: {
      maxAgeMs?: number;
      now?: () => number;
      onError?: (error: unknown) => void;
    } = {},
  ) {
    this.client = busyAware(client);
  }

  /**
   * Loads the feed if it never was (a failure throws), or re-checks it when stale (a failure
   * keeps the feed in use); resolves when done.
   */
  async ready(): Promise<this> {
    if (!this.#loaded) await this.#refresh();
    else if (this.#stale())
      await this.#refresh().catch((error: unknown) => this.options.onError?.(error));
    return this;
  }

  current(): StoredFeed | undefined {
    if (this.#loaded && this.#stale() && this.#inFlight === undefined) {
      this.#refresh().catch((error: unknown) => this.options.onError?.(error));
    }
    return this.#feed;
  }

  #now(): number {
    return this.options.now?.() ?? Date.now();
  }

  #stale(): boolean {
    return this.#now() - this.#checkedAt > (this.options.maxAgeMs ?? FEED_MAX_AGE_MS);
  }

  #refresh(): Promise<void> {
    this.#inFlight ??= (async () => {
      try {
        if (this.#loaded) {
          const { Item } = await this.client.send(
            new GetCommand({
              TableName: this.tableName,
              Key: keys.calendarFeed(),
              ProjectionExpression: 'sha256',
            }),
          );
          if (Item?.sha256 === this.#feed?.sha256) {
            this.#checkedAt = this.#now();
            return;
          }
        }
        this.#feed = await getCalendarFeed(this.client, this.tableName);
        this.#loaded = true;
        this.#checkedAt = this.#now();
      } finally {
        this.#inFlight = undefined;
      }
    })();
    return this.#inFlight;
  }
}

/** One source per client and table: the process's cache. */
const sources = new WeakMap<DynamoDBDocumentClient, Map<string, CachedCalendarFeed>>();

function sourceFor(client: DynamoDBDocumentClient, tableName: string): CachedCalendarFeed {
  let byTable = sources.get(client);
  if (byTable === undefined) {
    byTable = new Map();
    sources.set(client, byTable);
  }
  let source = byTable.get(tableName);
  if (source === undefined) {
    source = new CachedCalendarFeed(client, tableName, {
      onError: (error) =>
        logger.warn({ message: 'bank-holiday feed re-check failed', error: (error as Error).name }),
    });
    byTable.set(tableName, source);
  }
  return source;
}

/**
 * The process's feed source for `tableName`, loaded (one GetItem at cold start; a failure
 * fails the start, so no Lambda computes with the wrong holidays; the next start retries).
 */
export function calendarFeed(
  client: DynamoDBDocumentClient,
  tableName: string,
): Promise<CachedCalendarFeed> {
  return sourceFor(client, tableName).ready();
}

/** Divisions a feed lists, and the years each covers. */
export function feedSummary(feed: GovUkFeed): { divisions: Division[]; years: number[] } {
  const divisions = DIVISIONS.filter((d) => feed[d] !== undefined);
  const years = new Set<number>();
  for (const d of divisions)
    for (const e of feed[d]?.events ?? []) years.add(Number(e.date.slice(0, 4)));
  return { divisions, years: [...years].sort((a, b) => a - b) };
}

/** The process's (not yet loaded) feed source for `tableName`; `ready()` loads it. */
export function calendarFeedSource(
  client: DynamoDBDocumentClient,
  tableName: string,
): CachedCalendarFeed {
  return sourceFor(client, tableName);
}
