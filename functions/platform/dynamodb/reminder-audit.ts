/**
 * Reminder audit lines on the single table, appended outside the case transaction (a reminder
 * must not bump the case version): with the firing's unrouted record when it has one, in one
 * write. The fire path writes its lines with its claims' outcomes instead
 * (`functions/fire/firing-store.ts`), through the same item shape (`reminderAuditItems`).
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReminderAudit } from '#kernel/ports.js';
import type { AuditRecord, ReminderAuditEntry, UnroutedReminder } from '#kernel/records.js';
import { batchWriteAll } from './batch.js';
import { busyAware } from './busy.js';
import * as keys from './keys.js';
import { unroutedItem } from './unrouted.js';

/**
 * The items of reminder audit lines in the case's trail: one per case (`CASE#<id>` /
 * `AUDIT#<case version>#R#<at>#<n>`) holding its `entries` in order, the shape the store's
 * `listAudit` reads. The key sorts after the engine's item of the same case version; `n` is
 * a per-process sequence number then random characters, so concurrent appends never collide.
 */
export function reminderAuditItems(
  entries: readonly ReminderAuditEntry[],
  caseVersion: number,
  sequence: () => number,
): Record<string, unknown>[] {
  const byCase = new Map<string, ReminderAuditEntry[]>();
  for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
  return [...byCase].map(([caseId, lines]) => {
    const first = lines[0] as ReminderAuditEntry;
    const n = String(sequence() % 10_000).padStart(4, '0');
    const unique = crypto.randomUUID().slice(0, 8);
    return {
      ...keys.reminderAudit(caseId, caseVersion, first.at.toISOString(), `${n}${unique}`),
      entity: 'audit',
      caseId,
      entries: lines.map(reminderAuditRecord),
    };
  });
}

/** A reminder audit line as the trail stores it (the case is the item's). */
export function reminderAuditRecord(e: ReminderAuditEntry): AuditRecord {
  return {
    at: e.at.toISOString(),
    kind: e.kind,
    ...(e.deadlineId === undefined ? {} : { deadlineId: e.deadlineId }),
    detail: e.detail,
  };
}

export class DynamoReminderAudit implements ReminderAudit {
  private sequence = 0;
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  async append(
    entries: ReminderAuditEntry[],
    caseVersion: number,
    unrouted?: UnroutedReminder,
  ): Promise<void> {
    await this.write([
      ...reminderAuditItems(entries, caseVersion, () => this.sequence++),
      ...(unrouted === undefined ? [] : [unroutedItem(unrouted)]),
    ]);
  }

  /** One item: a PutItem; more: BatchWriteItems (every key is new, none conditional). */
  private async write(items: Record<string, unknown>[]): Promise<void> {
    if (items.length === 0) return;
    if (items.length === 1) {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: items[0] }));
      return;
    }
    const puts = items.map((Item) => ({ PutRequest: { Item } }));
    await batchWriteAll(this.client, this.tableName, puts, 'reminder audit');
  }
}
