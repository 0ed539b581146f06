/**
 * Unrouted reminders on the single table: one item per reminder that reached nobody it was
 * meant for (`UNROUTED#<team>` / `<at>#<case>#<reminder>`, and on gsi1 `UNROUTED` /
 * `<at>#<team>#<case>#<reminder>` for the list across teams), written with the firing's audit
 * lines (`DynamoReminderAudit`). `at` is when the reminder was due to fire, so a re-fire of the
 * same reminder rewrites its item. `GET /v1/reminders/unrouted` is one Query, newest first,
 * paged by a cursor (the last item's key).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { UnroutedQueryInput, UnroutedReminder, UnroutedStore } from '#domain/ports.js';
import { ValidationError } from '#use-cases/errors.js';
import { busyAware } from './busy.js';
import * as keys from './keys.js';
import { queryUpTo } from './query.js';
import { TABLE_KEYS } from './table.js';

/** How long an unrouted reminder is listed (DynamoDB TTL deletes it afterwards). */
export const UNROUTED_TTL_DAYS = 400;

/** The item of an unrouted reminder. */
export function unroutedItem(r: UnroutedReminder): Record<string, unknown> {
  const at = r.at.toISOString();
  return {
    ...keys.unrouted(r.team, at, r.caseId, r.reminderId),
    ...keys.unroutedIndex(at, r.team, r.caseId, r.reminderId),
    entity: 'unrouted-reminder',
    ...r,
    at,
    [TABLE_KEYS.ttlAttribute]: Math.floor(r.at.getTime() / 1000) + UNROUTED_TTL_DAYS * 86_400,
  };
}

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
    let found: { items: Record<string, unknown>[]; more: boolean };
    try {
      found = await queryUpTo(
        this.client,
        {
          TableName: this.tableName,
          ...(byTeam ? {} : { IndexName: TABLE_KEYS.gsi1.name }),
          KeyConditionExpression: condition,
          ExpressionAttributeValues: values,
          ScanIndexForward: false,
          ExclusiveStartKey:
            query.cursor === undefined ? undefined : decodeCursor(query.cursor, byTeam, partition),
          Limit: query.limit,
        },
        query.limit,
      );
    } catch (error) {
      // A start key DynamoDB cannot use (outside `since`): the caller's cursor, not a 500.
      if (query.cursor !== undefined && (error as Error).name === 'ValidationException')
        throw invalidCursor();
      throw error;
    }
    const reminders = found.items.map(fromItem);
    const last = found.items.at(-1);
    // A page cut short at `limit` may have more after it: the next starts after its last item.
    if (!found.more || last === undefined) return { reminders };
    return { reminders, nextCursor: encodeCursor(last, byTeam) };
  }
}

/** The key of the page's last item: its table key, and on the index its index key too. */
function encodeCursor(item: Record<string, unknown>, byTeam: boolean): string {
  const key = byTeam
    ? { pk: item.pk, sk: item.sk }
    : { pk: item.pk, sk: item.sk, gsi1pk: item.gsi1pk, gsi1sk: item.gsi1sk };
  return Buffer.from(JSON.stringify(key)).toString('base64url');
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

function invalidCursor(): ValidationError {
  return new ValidationError('cursor is not one this API returned for this query', {
    errors: [{ field: 'cursor', message: 'invalid cursor' }],
  });
}

/** A cursor is the key of the last item of a page of the same query (same team, or none). */
function decodeCursor(cursor: string, byTeam: boolean, partition: string): Record<string, string> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof key !== 'object' || key === null || Array.isArray(key)) throw invalidCursor();
  const record = key as Record<string, unknown>;
  const names = byTeam ? ['pk', 'sk'] : ['pk', 'sk', 'gsi1pk', 'gsi1sk'];
  if (Object.keys(record).length !== names.length) throw invalidCursor();
  if (!names.every((n) => typeof record[n] === 'string' && (record[n] as string).length > 0))
    throw invalidCursor();
  if (record[byTeam ? 'pk' : 'gsi1pk'] !== partition) throw invalidCursor();
  if (!String(record.pk).startsWith('UNROUTED#')) throw invalidCursor();
  return record as Record<string, string>;
}
