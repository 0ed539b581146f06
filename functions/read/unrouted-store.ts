/**
 * `GET /v1/reminders/unrouted` on the single table: one Query, newest first, paged by a
 * cursor (the last item's key); by team on the table, across teams on gsi1 (the items are
 * written by the fire path with its audit lines: `#platform/dynamodb/unrouted.js`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnroutedReminder } from '#kernel/records.js';
import { busyAware } from '#platform/dynamodb/busy.js';
import { indexCursor, tableCursor } from '#platform/dynamodb/cursor.js';
import * as keys from '#platform/dynamodb/keys.js';
import { queryPage } from '#platform/dynamodb/query.js';
import { TABLE_KEYS } from '#platform/dynamodb/table.js';
import type { UnroutedQueryInput, UnroutedStore } from './ports.js';

export class DynamoUnroutedStore implements UnroutedStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  async queryUnrouted(
    query: UnroutedQueryInput,
  ): Promise<{ reminders: UnroutedReminder[]; nextCursor?: string }> {
    const byTeam = query.team !== undefined;
    const [pk, sk] = byTeam ? ['pk', 'sk'] : ['gsi1pk', 'gsi1sk'];
    const partition = byTeam
      ? keys.unroutedPartition(query.team as string)
      : keys.unroutedAllPartition;
    const values: Record<string, unknown> = { ':p': partition };
    let condition = `${pk} = :p`;
    if (query.since !== undefined) {
      condition += ` AND ${sk} >= :since`;
      values[':since'] = query.since.toISOString();
    }
    const found = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        ...(byTeam ? {} : { IndexName: TABLE_KEYS.gsi1.name }),
        KeyConditionExpression: condition,
        ExpressionAttributeValues: values,
        ScanIndexForward: false,
        Limit: query.limit,
      },
      {
        ...query,
        // By team on the table; across teams on gsi1, whose cursors hold its key too.
        key: byTeam ? tableCursor(partition) : indexCursor(TABLE_KEYS.gsi1, partition),
      },
    );
    const reminders = found.items.map(fromItem);
    return found.nextCursor === undefined
      ? { reminders }
      : { reminders, nextCursor: found.nextCursor };
  }
}

function fromItem(item: Record<string, unknown>): UnroutedReminder {
  return {
    team: item.team as string,
    caseId: item.caseId as string,
    deadlineId: item.deadlineId as string,
    rule: item.rule as string,
    step: item.step as string,
    reminderId: item.reminderId as string,
    at: new Date(item.at as string),
    missing: (item.missing as UnroutedReminder['missing'] | undefined) ?? [],
    fix: (item.fix as string[] | undefined) ?? [],
    fallback: (item.fallback as UnroutedReminder['fallback'] | undefined) ?? 'none',
  };
}
