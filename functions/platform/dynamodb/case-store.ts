/**
 * The `CaseStore` port on the single DynamoDB table: cases, deadline projections, audit
 * trail and event idempotency records. Every change to a case is ONE TransactWriteItems
 * (`case-commit.ts`); deadline queries are built in `deadline-query.ts`, event records in
 * `event-records.ts`.
 */
import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  paginateQuery,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CaseCommit, CaseStore, DeadlineQueryInput } from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import { type BatchRetry, untilProcessed } from './batch.js';
import { busyAware } from './busy.js';
import { type CaseTable, writeCaseCommit } from './case-commit.js';
import { storedCaseOf } from './codec.js';
import { indexCursor } from './cursor.js';
import { deadlineQuery, fromDeadlineItem, LIST_FIELDS } from './deadline-query.js';
import { fromEventItem } from './event-records.js';
import * as keys from './keys.js';
import { queryAll, queryPage } from './query.js';
import { TABLE_KEYS } from './table.js';

export interface DynamoCaseStoreOptions {
  /** How batch calls wait before asking again for what was left unprocessed. */
  batchRetry?: BatchRetry;
}

export class DynamoCaseStore implements CaseStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly batchRetry: BatchRetry;
  private readonly table: CaseTable;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoCaseStoreOptions = {},
  ) {
    this.client = busyAware(client);
    this.batchRetry = options.batchRetry ?? {};
    this.table = { client: this.client, tableName, batchRetry: this.batchRetry };
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
    return Item === undefined ? undefined : storedCaseOf(Item);
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
      ...(caseItem === undefined ? {} : { stored: storedCaseOf(caseItem) }),
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
      ...(caseItem === undefined ? {} : { stored: storedCaseOf(caseItem) }),
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

  /** One TransactWriteItems (`case-commit.ts`). */
  async commitCase(commit: CaseCommit): Promise<void> {
    await writeCaseCommit(this.table, commit);
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
