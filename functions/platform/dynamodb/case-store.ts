/**
 * The `CaseStore` port on the single DynamoDB table: cases, deadline projections, audit
 * trail and event idempotency records. Every change to a case is ONE TransactWriteItems.
 */

import { createHash } from 'node:crypto';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { EventAlreadyRecordedError, VersionConflictError } from '#kernel/errors.js';
import type { CaseCommit, CaseStore, DeadlineQueryInput } from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import { reportDeltas } from '#kernel/reports/figures.js';
import { type BatchRetry, batchWriteAll, untilProcessed } from './batch.js';
import { busyAware } from './busy.js';
import {
  deadlinesOf,
  deserializeAggregate,
  omitUndefined,
  serializeAggregate,
  toAuditRecord,
  toDeadlineRecord,
} from './codec.js';
import type { CursorKey } from './cursor.js';
import * as keys from './keys.js';
import { queryAll, queryPage } from './query.js';
import { reportUpdate } from './report-store.js';
import { TABLE_KEYS } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** DynamoDB's limit on items in one transaction. */
const MAX_TRANSACT_ITEMS = 100;

export interface DynamoCaseStoreOptions {
  /** How batch calls wait before asking again for what was left unprocessed. */
  batchRetry?: BatchRetry;
}

export class DynamoCaseStore implements CaseStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly batchRetry: BatchRetry;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoCaseStoreOptions = {},
  ) {
    this.client = busyAware(client);
    this.batchRetry = options.batchRetry ?? {};
  }

  async getEventRecord(eventId: string): Promise<EventRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.event(eventId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromEventItem(Item);
  }

  async loadCase(caseId: string): Promise<StoredCase | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.case(caseId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : fromCaseItem(Item);
  }

  /** Both reads of an incoming case event in one strongly consistent BatchGetItem. */
  async loadEventAndCase(
    eventId: string,
    caseId: string,
  ): Promise<{ recorded?: EventRecord; stored?: StoredCase }> {
    const [eventItem, caseItem] = await this.batchGet(
      [keys.event(eventId), keys.case(caseId)],
      'BatchGetItem of an event and its case',
    );
    return {
      ...(eventItem === undefined ? {} : { recorded: fromEventItem(eventItem) }),
      ...(caseItem === undefined ? {} : { stored: fromCaseItem(caseItem) }),
    };
  }

  /**
   * A case and the directory stamp in one strongly consistent BatchGetItem: the directory's
   * generation (0 before its first write) at least as new as the case read, which is what
   * the reminders' directory cache is checked against (`CachedDirectory.observe`).
   */
  async loadCaseWithDirectoryStamp(
    caseId: string,
  ): Promise<{ stored?: StoredCase; directoryGeneration: number }> {
    const [caseItem, stampItem] = await this.batchGet(
      [keys.case(caseId), keys.directoryStamp()],
      'BatchGetItem of a case and the directory stamp',
    );
    return {
      ...(caseItem === undefined ? {} : { stored: fromCaseItem(caseItem) }),
      directoryGeneration: (stampItem?.generation as number | undefined) ?? 0,
    };
  }

  /** Strongly consistent BatchGetItem of `wanted` (unprocessed keys asked again), in their order. */
  private async batchGet(
    wanted: readonly { pk: string; sk: string }[],
    what: string,
  ): Promise<(Record<string, unknown> | undefined)[]> {
    const found: Record<string, unknown>[] = [];
    await untilProcessed(
      wanted as readonly Record<string, unknown>[],
      async (Keys) => {
        const out = await this.client.send(
          new BatchGetCommand({
            RequestItems: { [this.tableName]: { Keys, ConsistentRead: true } },
          }),
        );
        found.push(...(out.Responses?.[this.tableName] ?? []));
        return out.UnprocessedKeys?.[this.tableName]?.Keys;
      },
      what,
      this.batchRetry,
    );
    return wanted.map((key) => found.find((i) => i.pk === key.pk && i.sk === key.sk));
  }

  async commitCase(commit: CaseCommit): Promise<void> {
    const { caseId, expectedVersion } = commit;
    const version = expectedVersion + 1;
    const now = commit.now.toISOString();
    const items: TransactItem[] = [];
    if (commit.event !== undefined)
      items.push(eventRecordPut(this.tableName, commit.event, commit.now));
    const caseIndex = items.length;
    items.push({
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.case(caseId),
          // gsi1: open cases by id, for a snapshot import's reconciliation.
          ...keys.caseIndex(commit.after.status, caseId),
          entity: 'case',
          caseId,
          version,
          updatedAt: now,
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
    });

    // One audit item per commit (its entries as a list) keeps the transaction small.
    if (commit.audit.length > 0) {
      items.push({
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.audit(caseId, version),
            entity: 'audit',
            caseId,
            version,
            entries: commit.audit.map(toAuditRecord),
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      });
    }

    // The report's counters change in the same transaction as the deadlines they count:
    // they are additions, so unlike the projections they cannot be written again later.
    const reports = reportDeltas(deadlinesOf(commit.before), deadlinesOf(commit.after)).map(
      (delta) => reportUpdate(this.tableName, delta),
    );
    const reportRoom = MAX_TRANSACT_ITEMS - items.length;
    items.push(...reports.slice(0, reportRoom));
    // Deadline projections: write the ones that changed, delete the ones that disappeared.
    const projections = projectionWrites(this.tableName, caseId, commit);
    const room = MAX_TRANSACT_ITEMS - items.length;
    items.push(...projections.slice(0, room));
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
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
    await this.writeReportOverflow(caseId, version, reports.slice(reportRoom));
    // A change touching more deadlines than one transaction holds (e.g. closing a case with
    // very many open clocks): the rest of the projections follow, derived from the committed
    // aggregate. Readers may see them a moment late; the case item is the source of truth.
    await this.writeAll(projections.slice(room));
  }

  private async writeReportOverflow(
    caseId: string,
    version: number,
    updates: TransactItem[],
  ): Promise<void> {
    for (let i = 0; i < updates.length; i += MAX_TRANSACT_ITEMS) {
      const token = createHash('sha256')
        .update(`${caseId}\n${version}\n${i}`)
        .digest('hex')
        .slice(0, 36);
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: updates.slice(i, i + MAX_TRANSACT_ITEMS),
          ClientRequestToken: token,
        }),
      );
    }
  }

  private async writeAll(writes: TransactItem[]): Promise<void> {
    await batchWriteAll(
      this.client,
      this.tableName,
      writes.map((w) =>
        w.Put !== undefined
          ? { PutRequest: { Item: w.Put.Item } }
          : { DeleteRequest: { Key: w.Delete?.Key } },
      ),
      'deadline projections',
      this.batchRetry,
    );
  }

  async listDeadlines(caseId: string): Promise<DeadlineRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':prefix': keys.deadlinePrefix },
    });
    return items
      .map(fromDeadlineItem)
      .sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
  }

  /**
   * Deadlines by status in due-time order: a team's from its own index partition (gsi2), every
   * team's from the status partition (gsi1). `dueFrom` inclusive, `dueBefore` exclusive.
   */
  async queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }> {
    const { index, partition, input } = deadlineQuery(this.tableName, query);
    if (query.fields === 'list') {
      const names = input.ExpressionAttributeNames as Record<string, string>;
      const attributes = [...LIST_FIELDS, index.partitionKey, index.sortKey];
      attributes.forEach((a, i) => {
        names[`#f${i}`] = a;
      });
      input.ProjectionExpression = attributes.map((_, i) => `#f${i}`).join(', ');
    }
    const found = await queryPage(
      this.client,
      {
        ...input,
        Limit: Math.min(1000, query.limit * (input.FilterExpression === undefined ? 1 : 4)),
      },
      { limit: query.limit, cursor: query.cursor, key: indexCursor(index, partition) },
    );
    const deadlines = found.items.map(fromDeadlineItem);
    return found.nextCursor === undefined
      ? { deadlines }
      : { deadlines, nextCursor: found.nextCursor };
  }

  /** The same query as `queryDeadlines`, counted (`Select: COUNT`, every page). */
  async countDeadlines(
    query: Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>,
  ): Promise<number> {
    const { input } = deadlineQuery(this.tableName, { ...query, limit: 1 });
    let count = 0;
    for await (const page of paginateQuery({ client: this.client }, { ...input, Select: 'COUNT' }))
      count += page.Count ?? 0;
    return count;
  }

  async listOpenCases(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ caseIds: string[]; nextCursor?: string }> {
    const partition = keys.caseStatusPartition('open');
    const found = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ProjectionExpression: 'pk, sk, gsi1pk, gsi1sk',
        Limit: page.limit,
      },
      { ...page, key: indexCursor(TABLE_KEYS.gsi1, partition) },
    );
    const caseIds = found.items.map((item) => item.gsi1sk as string);
    return found.nextCursor === undefined ? { caseIds } : { caseIds, nextCursor: found.nextCursor };
  }

  async listAudit(caseId: string): Promise<AuditRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.case(caseId).pk, ':prefix': keys.auditPrefix },
    });
    return items.flatMap((item) => (item.entries as AuditRecord[] | undefined) ?? []);
  }

  /** Every item the query matches, strongly consistent. */
  private queryAll(
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, { TableName: this.tableName, ...input, ConsistentRead: true });
  }
}

/**
 * The Query of deadlines by status (and team), due in a range, optionally only some rules or
 * only those not met since: the index, its partition and the input.
 */
function deadlineQuery(tableName: string, query: DeadlineQueryInput) {
  const index = query.team === undefined ? TABLE_KEYS.gsi1 : TABLE_KEYS.gsi2;
  const partition =
    query.team === undefined
      ? keys.deadlineStatusPartition(query.status)
      : keys.deadlineTeamPartition(query.team, query.status);
  const names: Record<string, string> = { '#pk': index.partitionKey };
  const values: Record<string, unknown> = { ':p': partition };
  let condition = '#pk = :p';
  // Keys are `<dueAt>#<caseId>#<id>` with fixed-length instants: `dueAt < t` is `key < t`,
  // so BETWEEN's inclusive end (`t` itself) still leaves out a deadline due exactly at `t`.
  const from = query.dueFrom?.toISOString();
  const before = query.dueBefore?.toISOString();
  if (from !== undefined || before !== undefined) names['#sk'] = index.sortKey;
  if (from !== undefined && before !== undefined) {
    condition += ' AND #sk BETWEEN :from AND :before';
    Object.assign(values, { ':from': from, ':before': before });
  } else if (from !== undefined) {
    condition += ' AND #sk >= :from';
    values[':from'] = from;
  } else if (before !== undefined) {
    condition += ' AND #sk < :before';
    values[':before'] = before;
  }
  const filters: string[] = [];
  if (query.rules !== undefined) {
    names['#rule'] = 'rule';
    const list = query.rules.map((rule, i) => {
      values[`:r${i}`] = rule;
      return `:r${i}`;
    });
    filters.push(
      list.length === 0 ? 'attribute_not_exists(#rule)' : `#rule IN (${list.join(', ')})`,
    );
  }
  if (query.exceptRules !== undefined && query.exceptRules.length > 0) {
    names['#rule'] = 'rule';
    const list = query.exceptRules.map((rule, i) => {
      values[`:x${i}`] = rule;
      return `:x${i}`;
    });
    filters.push(`NOT (#rule IN (${list.join(', ')}))`);
  }
  if (query.notMet === true) {
    names['#metAt'] = 'metAt';
    filters.push('attribute_not_exists(#metAt)');
  }
  const input: QueryCommandInput = {
    TableName: tableName,
    IndexName: index.name,
    KeyConditionExpression: condition,
    ...(filters.length === 0 ? {} : { FilterExpression: filters.join(' AND ') }),
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
  };
  return { index, partition, input };
}

/** What a deadline list reads (`fields: 'list'`): the keys, and no explanation or versions. */
const LIST_FIELDS = [
  'pk',
  'sk',
  'id',
  'caseId',
  'rule',
  'status',
  'dueAt',
  'startedAt',
  'closedAt',
  'metAt',
  'lateness',
  'stage',
  'stageName',
  'subjectId',
  'team',
  'version',
] as const;

/** The deadline projections a commit changes: puts for new or changed ones, deletes for gone ones. */
function projectionWrites(tableName: string, caseId: string, commit: CaseCommit): TransactItem[] {
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

/** The idempotency record's Put: fails when the id is already taken. */
export function eventRecordPut(tableName: string, event: EventRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.event(event.eventId),
        entity: 'event',
        ...event,
        [TABLE_KEYS.ttlAttribute]:
          Math.floor(now.getTime() / 1000) + keys.EVENT_RECORD_TTL_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function fromEventItem(item: Record<string, unknown>): EventRecord {
  return {
    eventId: item.eventId as string,
    type: item.type as string,
    caseId: (item.caseId as string | null | undefined) ?? null,
    bodyHash: item.bodyHash as string,
    answer: item.answer as EventRecord['answer'],
    receivedAt: item.receivedAt as string,
  };
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

function fromDeadlineItem(item: Record<string, unknown>): DeadlineRecord {
  return omitUndefined({
    id: item.id as string,
    caseId: item.caseId as string,
    rule: item.rule as string,
    status: item.status as DeadlineRecord['status'],
    dueAt: item.dueAt as string,
    startedAt: item.startedAt as string | undefined,
    closedAt: item.closedAt as string | undefined,
    metAt: item.metAt as string | undefined,
    lateness: item.lateness as DeadlineRecord['lateness'],
    stage: item.stage as number | undefined,
    stageName: item.stageName as string | undefined,
    subjectId: item.subjectId as string | undefined,
    team: item.team as string | undefined,
    version: item.version as number | undefined,
    ruleVersion: item.ruleVersion as string | undefined,
    calendarVersion: item.calendarVersion as string | undefined,
    explain: (item.explain as string[] | undefined) ?? [],
  });
}

type DeadlineIndex = typeof TABLE_KEYS.gsi1 | typeof TABLE_KEYS.gsi2;

/** A list on an index: its cursors hold the table key and the index key, in its partition. */
function indexCursor(index: DeadlineIndex, partition: string): CursorKey {
  return {
    names: ['pk', 'sk', index.partitionKey, index.sortKey],
    partitionName: index.partitionKey,
    partition,
  };
}

function fromCaseItem(item: Record<string, unknown>): StoredCase {
  return {
    caseId: item.caseId as string,
    version: item.version as number,
    aggregate: deserializeAggregate(item.aggregate as string),
    updatedAt: item.updatedAt as string,
    serialized: item.aggregate as string,
  };
}
