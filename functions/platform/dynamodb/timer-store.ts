/**
 * Timers and digest entries on the single table (local driver and overnight digests).
 *
 * - Timer: `TIMER#<name>` / `TIMER`, indexed on gsi2 (`TIMERS` / `<fireAt ISO>#<name>`), so the
 *   local driver reads what is due in fire-time order. A failing timer is pushed back on the
 *   index (`retryAt`) and, after `maxAttempts`, parked under `TIMERS#DEAD` (never dropped).
 *   Puts and deletes from concurrent callers are coalesced into BatchWriteItems, or
 *   TransactWriteItems on a database kept on disk (`WriteCoalescer`): a burst of firings each
 *   setting a timer costs a few calls, not one each.
 * - Digest entry: `DIGEST#<team>#<date>` / `ITEM#<case>#<reminder>`: what the EDT was alerted
 *   to overnight, read by the 09:00 digest.
 */

import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DigestStore } from '#kernel/ports.js';
import type { DigestEntry } from '#kernel/records.js';
import type { Timer } from '#kernel/timers.js';
import { makeDocumentClient } from '../clients.js';
import {
  BATCH_WRITE_LIMIT,
  batchWriteAll,
  TRANSACT_WRITE_LIMIT,
  transactWriteAll,
  type WriteRequest,
} from './batch.js';
import { busyAware } from './busy.js';
import type { IndexName } from './create-table.js';
import * as keys from './keys.js';
import { queryAll, queryUpTo } from './query.js';
import { TABLE_KEYS } from './table.js';

/** The indexes a table holding only timers needs (the scheduler stand-in's own copy). */
export const TIMER_INDEXES: readonly IndexName[] = ['gsi2'];

export interface StoredTimer extends Timer {
  attempts: number;
  /** When it is due on the index: its retry time after a failure, else `fireAt`. */
  dueAt: Date;
}

export interface TimerStoreOptions {
  /**
   * How coalesced puts and deletes are written: `batch` (BatchWriteItems of 25), the cheaper
   * on a DynamoDB Local in memory (0.13–0.20 ms an item against 0.55–0.68 in transactions),
   * or `transaction` (TransactWriteItems of up to 100), the cheaper on one keeping its tables
   * on disk, where each item of a batch is a commit of its own (0.47–0.67 ms an item against
   * 1.0–1.3), measured with 16 writers. @default 'batch'
   */
  writes?: 'batch' | 'transaction';
}

export class DynamoTimerStore {
  private readonly client: DynamoDBDocumentClient;

  private readonly writes: WriteCoalescer;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: TimerStoreOptions = {},
  ) {
    this.client = busyAware(client);
    const inTransactions = options.writes === 'transaction';
    const writeAll = inTransactions ? transactWriteAll : batchWriteAll;
    this.writes = new WriteCoalescer(
      (requests) => writeAll(this.client, this.tableName, requests, 'timer store'),
      1,
      inTransactions ? TRANSACT_WRITE_LIMIT : BATCH_WRITE_LIMIT,
    );
  }

  /** Puts timers (same name: replaced, so scheduling twice keeps one). */
  async put(timers: readonly Timer[]): Promise<void> {
    await this.writes.submit(
      timers.map((timer) => ({
        PutRequest: {
          Item: {
            ...keys.timer(timer.name),
            ...keys.timerIndex(keys.timerPartition, timer.fireAt.toISOString(), timer.name),
            entity: 'timer',
            name: timer.name,
            fireAt: timer.fireAt.toISOString(),
            payload: timer.payload,
            attempts: 0,
          },
        },
      })),
    );
  }

  async delete(names: readonly string[]): Promise<void> {
    await this.writes.submit(names.map((name) => ({ DeleteRequest: { Key: keys.timer(name) } })));
  }

  async get(name: string): Promise<StoredTimer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.timer(name), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }

  /**
   * Timers due by `at` (fire or retry time ≤ at), earliest first: up to `limit` of them,
   * passing over those named in `skip` (e.g. failed this round) page by page.
   */
  async due(at: Date, limit = 50, skip?: ReadonlySet<string>): Promise<StoredTimer[]> {
    const { items } = await queryUpTo(
      this.client,
      {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi2.name,
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :to',
        ExpressionAttributeValues: {
          ':pk': keys.timerPartition,
          ':to': `${at.toISOString()}#\uffff`,
        },
        ScanIndexForward: true,
        Limit: Math.min(1000, limit + (skip?.size ?? 0)),
      },
      limit,
      (item) => skip?.has(item.name as string) !== true,
    );
    return items.map(fromItem);
  }

  /** Every timer in `partition` (pending by default), earliest first (for listings and tests). */
  async all(partition: string = keys.timerPartition): Promise<StoredTimer[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi2.name,
      KeyConditionExpression: 'gsi2pk = :pk',
      ExpressionAttributeValues: { ':pk': partition },
    });
    return items.map(fromItem);
  }

  /**
   * Moves every timer, pending and parked, to `to` (as it is: attempts, retry time, partition)
   * and takes it off here: how `npm start` brings a data directory's timers from the service's
   * table into the scheduler stand-in's own database. Written there before deleted here, so a
   * stop halfway leaves a timer in both, never in neither (its firing is claimed once).
   * Returns how many moved.
   */
  async moveTo(to: DynamoTimerStore): Promise<number> {
    let moved = 0;
    for (const partition of [keys.timerPartition, keys.deadTimerPartition]) {
      const items = await queryAll(this.client, {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi2.name,
        KeyConditionExpression: 'gsi2pk = :pk',
        ExpressionAttributeValues: { ':pk': partition },
      });
      if (items.length === 0) continue;
      await batchWriteAll(
        to.client,
        to.tableName,
        items.map((Item) => ({ PutRequest: { Item } })),
        'timer store',
      );
      await batchWriteAll(
        this.client,
        this.tableName,
        items.map((item) => ({ DeleteRequest: { Key: keys.timer(item.name as string) } })),
        'timer store',
      );
      moved += items.length;
    }
    return moved;
  }

  /** Records a failed firing: retried at `retryAt`, or parked as dead after `dead`. */
  async recordFailure(name: string, attempts: number, retryAt: Date, dead: boolean): Promise<void> {
    const partition = dead ? keys.deadTimerPartition : keys.timerPartition;
    const index = keys.timerIndex(partition, retryAt.toISOString(), name);
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keys.timer(name),
          UpdateExpression: 'SET attempts = :n, gsi2pk = :pk, gsi2sk = :sk, retryAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':n': attempts,
            ':pk': index.gsi2pk,
            ':sk': index.gsi2sk,
            ':at': retryAt.toISOString(),
          },
        }),
      )
      .catch((error: unknown) => {
        // Deleted meanwhile (cancelled): nothing to retry.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      });
  }
}

/**
 * Writes from concurrent callers, coalesced: while `maxInFlight` batches (one by default) are
 * being written the next requests gather, and go `limit` to a write (25, a BatchWriteItem's)
 * when one returns — a group commit, so the busier the callers, the fuller the batches. Order
 * per key is kept: a request waits while its key is in a batch in flight, and a batch closes
 * before a key it already holds (BatchWriteItem and TransactWriteItems refuse two requests for
 * one key), so a delete then a put of one timer land in that order. A caller's promise
 * settles when all its requests are written (or one fails).
 */
export class WriteCoalescer {
  private readonly queue: {
    request: WriteRequest;
    key: string;
    done: (error?: unknown) => void;
  }[] = [];
  private readonly keysInFlight = new Set<string>();
  private inFlight = 0;

  constructor(
    private readonly write: (requests: WriteRequest[]) => Promise<void>,
    private readonly maxInFlight = 1,
    private readonly limit = BATCH_WRITE_LIMIT,
  ) {}

  submit(requests: readonly WriteRequest[]): Promise<void> {
    const written = requests.map(
      (request) =>
        new Promise<void>((resolve, reject) => {
          const item = request.PutRequest?.Item ?? request.DeleteRequest?.Key ?? {};
          this.queue.push({
            request,
            key: `${String(item.pk)}\u0000${String(item.sk)}`,
            done: (error) => (error === undefined ? resolve() : reject(error)),
          });
        }),
    );
    this.pump();
    return Promise.all(written).then(() => undefined);
  }

  private pump(): void {
    while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
      const batch: typeof this.queue = [];
      const keys = new Set<string>();
      for (const entry of this.queue) {
        if (batch.length === this.limit) break;
        if (keys.has(entry.key) || this.keysInFlight.has(entry.key)) break;
        keys.add(entry.key);
        batch.push(entry);
      }
      if (batch.length === 0) return;
      this.queue.splice(0, batch.length);
      this.inFlight++;
      for (const key of keys) this.keysInFlight.add(key);
      this.write(batch.map((e) => e.request)).then(
        () => this.settle(batch, keys),
        (error: unknown) => this.settle(batch, keys, error ?? new Error('write failed')),
      );
    }
  }

  private settle(batch: typeof this.queue, keys: Set<string>, error?: unknown): void {
    this.inFlight--;
    for (const key of keys) this.keysInFlight.delete(key);
    for (const entry of batch) entry.done(error);
    this.pump();
  }
}

/**
 * The scheduler stand-in's timers on the DynamoDB Local at `endpoint`: its `scheduler`
 * database, which `npm start` keeps on disk, so written in transactions. What `npm start`
 * fires; where `timescales import --endpoint` and a local server set timers.
 */
export function schedulerDatabaseTimers(endpoint: string, tableName: string): DynamoTimerStore {
  return new DynamoTimerStore(makeDocumentClient({ endpoint, database: 'scheduler' }), tableName, {
    writes: 'transaction',
  });
}

function fromItem(item: Record<string, unknown>): StoredTimer {
  return {
    name: item.name as string,
    fireAt: new Date(item.fireAt as string),
    payload: item.payload as StoredTimer['payload'],
    attempts: (item.attempts as number | undefined) ?? 0,
    dueAt: new Date((item.retryAt as string | undefined) ?? (item.fireAt as string)),
  };
}

/** A morning digest's entry: one per team, date, case and reminder (a re-fire overwrites it). */
export function digestEntryItem(entry: DigestEntry): Record<string, unknown> {
  return {
    ...keys.digestEntry(entry.team, entry.date, entry.caseId, entry.reminderId),
    ...keys.digestIndex(entry.alertedAt.toISOString(), entry.caseId, entry.reminderId),
    entity: 'digest-entry',
    ...entry,
    dueAt: entry.dueAt.toISOString(),
    alertedAt: entry.alertedAt.toISOString(),
    expiresAt: Math.floor(entry.alertedAt.getTime() / 1000) + 90 * 86_400,
  };
}

/** The digests' entries are written by `DynamoReminderAudit.appendWithDigest`; this reads them. */
export class DynamoDigestStore implements DigestStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  /** Every entry of the team's digest for `date` (a night of alerts may exceed one page). */
  async list(team: string, date: string): Promise<DigestEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.digestPartition(team, date) },
      ConsistentRead: true,
    });
    return items.map(fromDigestItem);
  }

  /** Every EDT alert sent at or after `since`, oldest first, across teams (gsi2). */
  async alertsSince(since: Date): Promise<DigestEntry[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi2.name,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk >= :since',
      ExpressionAttributeValues: {
        ':pk': keys.digestIndexPartition,
        ':since': since.toISOString(),
      },
    });
    return items.map(fromDigestItem);
  }
}

function fromDigestItem(item: Record<string, unknown>): DigestEntry {
  return {
    team: item.team as string,
    date: item.date as string,
    caseId: item.caseId as string,
    reminderId: item.reminderId as string,
    ...(typeof item.deadlineId === 'string' ? { deadlineId: item.deadlineId } : {}),
    ...(typeof item.step === 'string' ? { step: item.step } : {}),
    rule: item.rule as string,
    dueAt: new Date(item.dueAt as string),
    alertedAt: new Date(item.alertedAt as string),
    recipientIds: (item.recipientIds as string[] | undefined) ?? [],
  };
}
