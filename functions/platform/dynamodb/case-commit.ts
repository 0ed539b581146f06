/**
 * The ingest commit path on the table: one case change as ONE TransactWriteItems — the event
 * record, the case item (conditional on the version read), its audit item, the audit lines of
 * the reminder timers it planned and cancelled, the report counters and the deadline
 * projections that changed — and a cancelled transaction turned into the
 * port's errors.
 */
import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { EventAlreadyRecordedError, VersionConflictError } from '#kernel/errors.js';
import type { CaseCommit } from '#kernel/ports.js';
import type { EventRecord } from '#kernel/records.js';
import { reportDeltas } from '#kernel/reports/figures.js';
import { type BatchRetry, batchWriteAll } from './batch.js';
import { casePeopleWrites } from './case-people.js';
import { deadlinesOf, serializeAggregate, toAuditRecord, toDeadlineRecord } from './codec.js';
import { eventRecordPut } from './event-records.js';
import * as keys from './keys.js';
import { reminderAuditItems } from './reminder-audit.js';
import { reportUpdate } from './report-store.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A per-process sequence for the reminder lines' keys (see `reminderAuditItems`). */
let sequence = 0;
const nextSequence = (): number => sequence++;

/** The reminder timers a change planned and cancelled, as its trail's items: new keys, no condition. */
function reminderLinePuts(tableName: string, commit: CaseCommit, version: number): TransactItem[] {
  const lines = commit.reminderLines ?? [];
  if (lines.length === 0) return [];
  return reminderAuditItems(lines, version, nextSequence).map((Item) => ({
    Put: { TableName: tableName, Item },
  }));
}

/** DynamoDB's limit on items in one transaction. */
const MAX_TRANSACT_ITEMS = 100;

/** The table a case store writes to, with its client and how its batch calls retry. */
export interface CaseTable {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  readonly batchRetry: BatchRetry;
}

/** `CaseStore.commitCase`: the whole change, or nothing (see the module header). */
export async function writeCaseCommit(table: CaseTable, commit: CaseCommit): Promise<void> {
  const { caseId, expectedVersion } = commit;
  const version = expectedVersion + 1;
  const items: TransactItem[] = [];
  if (commit.event !== undefined)
    items.push(eventRecordPut(table.tableName, commit.event, commit.now));
  const caseIndex = items.length;
  items.push(casePut(table.tableName, commit, expectedVersion, version));
  if (commit.audit.length > 0) items.push(auditPut(table.tableName, commit, version));

  items.push(...reminderLinePuts(table.tableName, commit, version));

  // The report's counters change in the same transaction as the deadlines they count:
  // they are additions, so unlike the projections they cannot be written again later.
  const reports = reportDeltas(deadlinesOf(commit.before), deadlinesOf(commit.after)).map((delta) =>
    reportUpdate(table.tableName, delta),
  );
  const reportRoom = MAX_TRANSACT_ITEMS - items.length;
  items.push(...reports.slice(0, reportRoom));
  // Deadline projections: write the ones that changed, delete the ones that disappeared; and
  // the same for who is named on the case (both can be written again from the case).
  const projections = [
    ...projectionWrites(table.tableName, caseId, commit),
    ...casePeopleWrites(table.tableName, commit),
  ];
  const room = MAX_TRANSACT_ITEMS - items.length;
  items.push(...projections.slice(0, room));
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    throw translateCancellation(
      error,
      commit.event === undefined ? undefined : 0,
      caseIndex,
      commit,
    );
  }
  // More report keys than one transaction holds (a change touching clocks in more than
  // ~97 rule/team/month cells at once): the rest follow in their own transactions, each
  // with a token derived from the commit, so a retried call is applied once (DynamoDB
  // keeps a transaction's token for 10 minutes).
  await writeReportOverflow(table, caseId, version, reports.slice(reportRoom));
  // A change touching more deadlines than one transaction holds (e.g. closing a case with
  // very many open clocks): the rest of the projections follow, derived from the committed
  // aggregate. Readers may see them a moment late; the case item is the source of truth.
  await writeAll(table, projections.slice(room));
}

/** Commits too many items for one transaction to hold them all. */
export class CommitTooLargeError extends Error {
  override readonly name = 'CommitTooLargeError';
}

/**
 * Consecutive commits of one case (versions v+1 … v+k, each with its event record and audit
 * item) as ONE TransactWriteItems: the table ends exactly as if each had been committed in turn
 * — every event record, every version's audit item, the case at v+k — with the report's
 * counters, the deadline projections and the people named on the case changed once, from the
 * first commit's `before` to the last one's `after` (counters add up, projections are rewritten from the aggregate). Nothing is
 * written when it would take more items than one transaction holds (`CommitTooLargeError`):
 * the caller commits them one at a time instead.
 */
export async function writeCaseCommits(
  table: CaseTable,
  commits: readonly CaseCommit[],
): Promise<void> {
  const first = commits[0];
  const last = commits.at(-1);
  if (first === undefined || last === undefined) return;
  if (commits.length === 1) return writeCaseCommit(table, first);
  const { caseId, expectedVersion } = first;
  commits.forEach((c, i) => {
    if (c.caseId !== caseId || c.expectedVersion !== expectedVersion + i)
      throw new Error(`commits of ${caseId} are not consecutive versions`);
  });
  const items: TransactItem[] = [];
  const eventIndexes: number[] = [];
  for (const c of commits) {
    if (c.event === undefined) continue;
    eventIndexes.push(items.length);
    items.push(eventRecordPut(table.tableName, c.event, c.now));
  }
  const caseIndex = items.length;
  const lastEvent = commits.findLast((c) => c.event !== undefined)?.event;
  items.push(
    casePut(
      table.tableName,
      { ...last, event: lastEvent },
      expectedVersion,
      expectedVersion + commits.length,
    ),
  );
  commits.forEach((c, i) => {
    if (c.audit.length > 0) items.push(auditPut(table.tableName, c, expectedVersion + i + 1));
    items.push(...reminderLinePuts(table.tableName, c, expectedVersion + i + 1));
  });
  const net = { caseId, before: first.before, after: last.after };
  items.push(
    ...reportDeltas(deadlinesOf(net.before), deadlinesOf(net.after)).map((delta) =>
      reportUpdate(table.tableName, delta),
    ),
  );
  items.push(
    ...projectionWrites(table.tableName, caseId, net),
    ...casePeopleWrites(table.tableName, net),
  );
  if (items.length > MAX_TRANSACT_ITEMS)
    throw new CommitTooLargeError(`${items.length} items for ${commits.length} commits`);
  try {
    await table.client.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    if (error instanceof TransactionCanceledException) {
      const reasons = error.CancellationReasons ?? [];
      const taken = eventIndexes.find((i) => reasons[i]?.Code === 'ConditionalCheckFailed');
      const event = taken === undefined ? undefined : items[taken]?.Put?.Item?.eventId;
      if (typeof event === 'string') throw new EventAlreadyRecordedError(event);
    }
    throw translateCancellation(error, undefined, caseIndex, first);
  }
}

/** The case item at `version`, conditional on the version read (absent for a new case). */
function casePut(
  tableName: string,
  commit: Pick<CaseCommit, 'caseId' | 'after' | 'afterJson' | 'event' | 'now'>,
  expectedVersion: number,
  version: number,
): TransactItem {
  const { caseId } = commit;
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.case(caseId),
        // gsi1: open cases by id, for a snapshot import's reconciliation.
        ...keys.caseIndex(commit.after.status, caseId),
        entity: 'case',
        caseId,
        version,
        updatedAt: commit.now.toISOString(),
        aggregate: commit.afterJson ?? serializeAggregate(commit.after),
        ...(commit.event === undefined ? {} : { lastEventId: commit.event.eventId }),
      },
      ...(expectedVersion === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: '#version = :expected',
            ExpressionAttributeNames: { '#version': 'version' },
            ExpressionAttributeValues: { ':expected': expectedVersion },
          }),
    },
  };
}

/** One audit item per commit (its entries as a list) keeps the transaction small. */
function auditPut(
  tableName: string,
  commit: Pick<CaseCommit, 'caseId' | 'audit'>,
  version: number,
): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.audit(commit.caseId, version),
        entity: 'audit',
        caseId: commit.caseId,
        version,
        entries: commit.audit.map(toAuditRecord),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

async function writeReportOverflow(
  table: CaseTable,
  caseId: string,
  version: number,
  updates: TransactItem[],
): Promise<void> {
  for (let i = 0; i < updates.length; i += MAX_TRANSACT_ITEMS) {
    const token = createHash('sha256')
      .update(`${caseId}\n${version}\n${i}`)
      .digest('hex')
      .slice(0, 36);
    await table.client.send(
      new TransactWriteCommand({
        TransactItems: updates.slice(i, i + MAX_TRANSACT_ITEMS),
        ClientRequestToken: token,
      }),
    );
  }
}

async function writeAll(table: CaseTable, writes: TransactItem[]): Promise<void> {
  await batchWriteAll(
    table.client,
    table.tableName,
    writes.map((w) =>
      w.Put !== undefined
        ? { PutRequest: { Item: w.Put.Item } }
        : { DeleteRequest: { Key: w.Delete?.Key } },
    ),
    'deadline projections',
    table.batchRetry,
  );
}

/** The deadline projections a commit changes: puts for new or changed ones, deletes for gone ones. */
function projectionWrites(
  tableName: string,
  caseId: string,
  commit: Pick<CaseCommit, 'before' | 'after'>,
): TransactItem[] {
  const writes: TransactItem[] = [];
  const before = new Map(
    deadlinesOf(commit.before).map((d) => [d.id, JSON.stringify(toDeadlineRecord(d))]),
  );
  const afterIds = new Set<string>();
  for (const deadline of deadlinesOf(commit.after)) {
    afterIds.add(deadline.id);
    const record = toDeadlineRecord(deadline);
    if (before.get(deadline.id) === JSON.stringify(record)) continue;
    writes.push({
      Put: {
        TableName: tableName,
        Item: {
          ...keys.deadline(caseId, deadline.id),
          ...keys.deadlineIndex(record.status, record.dueAt, caseId, deadline.id),
          ...(record.team === undefined
            ? {}
            : keys.deadlineTeamIndex(
                record.team,
                record.status,
                record.dueAt,
                caseId,
                deadline.id,
              )),
          entity: 'deadline',
          ...record,
        },
      },
    });
  }
  for (const id of before.keys()) {
    if (!afterIds.has(id))
      writes.push({ Delete: { TableName: tableName, Key: keys.deadline(caseId, id) } });
  }
  return writes;
}

/**
 * Turns a cancelled transaction into the port's errors: the event record's condition failing
 * means another delivery won; the case's (or a transaction conflict) means retry.
 */
export function translateCancellation(
  error: unknown,
  eventIndex: number | undefined,
  caseIndex: number,
  commit: { caseId: string; event?: EventRecord | undefined },
): unknown {
  if (!(error instanceof TransactionCanceledException)) return error;
  const reasons = error.CancellationReasons ?? [];
  if (
    eventIndex !== undefined &&
    reasons[eventIndex]?.Code === 'ConditionalCheckFailed' &&
    commit.event !== undefined
  ) {
    return new EventAlreadyRecordedError(commit.event.eventId);
  }
  const retryable = reasons.some(
    (r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'TransactionConflict',
  );
  if (retryable || reasons[caseIndex]?.Code === 'ConditionalCheckFailed')
    return new VersionConflictError(commit.caseId);
  return error;
}
