/**
 * Timers and digest entries on the single table (local driver and overnight digests).
 *
 * - Timer: `TIMER#<name>` / `TIMER`, indexed on gsi2 (`TIMERS` / `<fireAt ISO>#<name>`), so the
 *   local driver reads what is due in fire-time order. A failing timer is pushed back on the
 *   index (`retryAt`) and, after `maxAttempts`, parked under `TIMERS#DEAD` (never dropped).
 * - Digest entry: `DIGEST#<team>#<date>` / `ITEM#<case>#<reminder>`: what the EDT was alerted
 *   to overnight, read by the 09:00 digest.
 */
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { DigestEntry, DigestStore } from '#domain/ports.js';
import type { Timer } from '#domain/timers.js';
import { batchWriteAll, type WriteRequest } from './batch.js';
import { TABLE_KEYS } from './table.js';

export const TIMER_PARTITION = 'TIMERS';
export const DEAD_TIMER_PARTITION = 'TIMERS#DEAD';

export interface StoredTimer extends Timer {
  attempts: number;
  /** When it is due on the index: its retry time after a failure, else `fireAt`. */
  dueAt: Date;
}

const timerKey = (name: string) => ({ pk: `TIMER#${name}`, sk: 'TIMER' });

export class DynamoTimerStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Puts timers (same name: replaced, so scheduling twice keeps one). */
  async put(timers: readonly Timer[]): Promise<void> {
    await this.batchWrite(
      timers.map((timer) => ({
        PutRequest: {
          Item: {
            ...timerKey(timer.name),
            gsi2pk: TIMER_PARTITION,
            gsi2sk: `${timer.fireAt.toISOString()}#${timer.name}`,
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
    await this.batchWrite(names.map((name) => ({ DeleteRequest: { Key: timerKey(name) } })));
  }

  async get(name: string): Promise<StoredTimer | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: timerKey(name), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromItem(Item);
  }

  /**
   * Timers due by `at` (fire or retry time ≤ at), earliest first: up to `limit` of them,
   * passing over those named in `skip` (e.g. failed this round) page by page.
   */
  async due(at: Date, limit = 50, skip?: ReadonlySet<string>): Promise<StoredTimer[]> {
    const out: StoredTimer[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE_KEYS.gsi2.name,
          KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk <= :to',
          ExpressionAttributeValues: {
            ':pk': TIMER_PARTITION,
            ':to': `${at.toISOString()}#\uffff`,
          },
          ScanIndexForward: true,
          Limit: Math.min(1000, limit - out.length + (skip?.size ?? 0)),
          ExclusiveStartKey: start,
        }),
      );
      for (const item of page.Items ?? []) {
        if (skip?.has(item.name as string) === true) continue;
        out.push(fromItem(item));
        if (out.length === limit) return out;
      }
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  /** Every pending timer, earliest first (for listings and tests). */
  async all(partition = TIMER_PARTITION): Promise<StoredTimer[]> {
    const out: StoredTimer[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: TABLE_KEYS.gsi2.name,
          KeyConditionExpression: 'gsi2pk = :pk',
          ExpressionAttributeValues: { ':pk': partition },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map(fromItem));
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
    return out;
  }

  /** Records a failed firing: retried at `retryAt`, or parked as dead after `dead`. */
  async recordFailure(name: string, attempts: number, retryAt: Date, dead: boolean): Promise<void> {
    await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: timerKey(name),
          UpdateExpression: 'SET attempts = :n, gsi2pk = :pk, gsi2sk = :sk, retryAt = :at',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: {
            ':n': attempts,
            ':pk': dead ? DEAD_TIMER_PARTITION : TIMER_PARTITION,
            ':sk': `${retryAt.toISOString()}#${name}`,
            ':at': retryAt.toISOString(),
          },
        }),
      )
      .catch((error: unknown) => {
        // Deleted meanwhile (cancelled): nothing to retry.
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
      });
  }

  private async batchWrite(requests: WriteRequest[]): Promise<void> {
    await batchWriteAll(this.client, this.tableName, requests, 'timer store');
  }
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
    pk: `DIGEST#${entry.team}#${entry.date}`,
    sk: `ITEM#${entry.caseId}#${entry.reminderId}`,
    entity: 'digest-entry',
    ...entry,
    dueAt: entry.dueAt.toISOString(),
    alertedAt: entry.alertedAt.toISOString(),
    expiresAt: Math.floor(entry.alertedAt.getTime() / 1000) + 90 * 86_400,
  };
}

/** The digests' entries are written by `DynamoReminderAudit.appendWithDigest`; this reads them. */
export class DynamoDigestStore implements DigestStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async list(team: string, date: string): Promise<DigestEntry[]> {
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `DIGEST#${team}#${date}` },
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map((item) => ({
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
    }));
  }
}
