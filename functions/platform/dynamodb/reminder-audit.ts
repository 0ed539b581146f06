/**
 * Reminder audit lines on the single table: each firing's lines, with its unrouted record and
 * its morning-digest entry when it has them, in one write.
 */
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ReminderAudit } from '#kernel/ports.js';
import type { DigestEntry, ReminderAuditEntry, UnroutedReminder } from '#kernel/records.js';
import { batchWriteAll } from './batch.js';
import { busyAware } from './busy.js';
import * as keys from './keys.js';
import { digestEntryItem } from './timer-store.js';
import { unroutedItem } from './unrouted.js';

/**
 * Reminder audit lines in the case's trail: one item per append (`CASE#<id>` /
 * `AUDIT#<case version>#R#<at>#<n>`) holding its `entries`, the shape the store's `listAudit`
 * reads. The key sorts after the engine's item of the same case version. Appended outside the
 * case transaction: a reminder must not bump the case version.
 */
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
      ...this.auditItems(entries, caseVersion),
      ...(unrouted === undefined ? [] : [unroutedItem(unrouted)]),
    ]);
  }

  async appendWithDigest(
    entries: ReminderAuditEntry[],
    caseVersion: number,
    digest: DigestEntry,
    unrouted?: UnroutedReminder,
  ): Promise<void> {
    await this.write([
      ...this.auditItems(entries, caseVersion),
      digestEntryItem(digest),
      ...(unrouted === undefined ? [] : [unroutedItem(unrouted)]),
    ]);
  }

  /** One item per case (`entries` in order), keyed to sort after that case version's own. */
  private auditItems(entries: ReminderAuditEntry[], caseVersion: number) {
    const byCase = new Map<string, ReminderAuditEntry[]>();
    for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    return [...byCase].map(([caseId, lines]) => {
      const first = lines[0] as ReminderAuditEntry;
      const n = String(this.sequence++ % 10_000).padStart(4, '0');
      const unique = crypto.randomUUID().slice(0, 8);
      return {
        ...keys.reminderAudit(caseId, caseVersion, first.at.toISOString(), `${n}${unique}`),
        entity: 'audit',
        caseId,
        entries: lines.map((e) => ({
          at: e.at.toISOString(),
          kind: e.kind,
          ...(e.deadlineId === undefined ? {} : { deadlineId: e.deadlineId }),
          detail: e.detail,
        })),
      };
    });
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
