/**
 * The `CaseStore` port on the single DynamoDB table: cases, deadline projections, audit
 * trail and event idempotency records. Every change to a case is ONE TransactWriteItems.
 */

import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import {
  type AuditRecord,
  type CaseCommit,
  type CaseStore,
  type DeadlineQueryInput,
  type DeadlineRecord,
  EventAlreadyRecordedError,
  type EventRecord,
  type StoredCase,
  VersionConflictError,
} from '#domain/ports.js';
import { ValidationError } from '#use-cases/errors.js';
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
import * as keys from './keys.js';
import { queryAll, queryUpTo } from './query.js';
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
    // A change touching more deadlines than one transaction holds (e.g. closing a case with
    // very many open clocks): the rest of the projections follow, derived from the committed
    // aggregate. Readers may see them a moment late; the case item is the source of truth.
    await this.writeAll(projections.slice(room));
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

  async queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }> {
    const partition = keys.deadlineStatusPartition(query.status);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':p': partition };
    let condition = 'gsi1pk = :p';
    if (query.dueBefore !== undefined) {
      condition += ' AND gsi1sk < :before';
      values[':before'] = query.dueBefore.toISOString();
    }
    let filter: string | undefined;
    if (query.team !== undefined) {
      filter = '#team = :team';
      names['#team'] = 'team';
      values[':team'] = query.team;
    }
    let found: { items: Record<string, unknown>[]; more: boolean };
    try {
      found = await queryUpTo(
        this.client,
        {
          TableName: this.tableName,
          IndexName: TABLE_KEYS.gsi1.name,
          KeyConditionExpression: condition,
          FilterExpression: filter,
          ExpressionAttributeNames: filter === undefined ? undefined : names,
          ExpressionAttributeValues: values,
          ExclusiveStartKey:
            query.cursor === undefined ? undefined : decodeCursor(query.cursor, partition),
          Limit: Math.min(1000, query.limit * (filter === undefined ? 1 : 4)),
        },
        query.limit,
      );
    } catch (error) {
      // DynamoDB refuses a start key it cannot use (empty key values, outside `dueBefore`):
      // with a caller's cursor that is the caller's fault, not a 500.
      if (query.cursor !== undefined && (error as Error).name === 'ValidationException')
        throw invalidCursor();
      throw error;
    }
    const deadlines = found.items.map(fromDeadlineItem);
    const last = found.items.at(-1);
    // A page cut short at `limit` may have more after it: the next starts after its last item.
    if (!found.more || last === undefined) return { deadlines };
    return { deadlines, nextCursor: encodeCursor(last) };
  }

  async listOpenCases(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ caseIds: string[]; nextCursor?: string }> {
    const partition = keys.caseStatusPartition('open');
    const found = await queryUpTo(
      this.client,
      {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ProjectionExpression: 'pk, sk, gsi1pk, gsi1sk',
        ExclusiveStartKey:
          page.cursor === undefined ? undefined : decodeCursor(page.cursor, partition),
        Limit: page.limit,
      },
      page.limit,
    );
    const caseIds = found.items.map((item) => item.gsi1sk as string);
    const last = found.items.at(-1);
    if (!found.more || last === undefined) return { caseIds };
    return { caseIds, nextCursor: encodeCursor(last) };
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

function encodeCursor(item: Record<string, unknown>): string {
  const key = { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

function invalidCursor(): ValidationError {
  return new ValidationError('cursor is not one this API returned for this query', {
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
}

function decodeCursor(cursor: string, partition: string): Record<string, string> {
  const invalid = invalidCursor;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof key !== 'object' || key === null) throw invalid();
  const record = key as Record<string, unknown>;
  const names = ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  if (Object.keys(record).length !== 4 || !names.every((n) => typeof record[n] === 'string'))
    throw invalid();
  if (record.gsi1pk !== partition) throw invalid();
  return record as Record<string, string>;
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
