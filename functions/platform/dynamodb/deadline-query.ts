/**
 * Reading deadline projections: the Query of a status (and team) partition in due-time order,
 * what a list reads of each item, and the item back as a `DeadlineRecord`.
 */
import type { QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { DeadlineQueryInput } from '#kernel/ports.js';
import type { DeadlineRecord } from '#kernel/records.js';
import { omitUndefined } from './codec.js';
import * as keys from './keys.js';
import { TABLE_KEYS } from './table.js';

/**
 * The Query of deadlines by status (and team), due in a range, optionally only some rules or
 * only those not met since: the index, its partition and the input.
 */
export function deadlineQuery(tableName: string, query: DeadlineQueryInput) {
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
export const LIST_FIELDS = [
  'pk',
  'sk',
  'id',
  'caseId',
  'rule',
  'status',
  'dueAt',
  'limitAt',
  'startedAt',
  'closedAt',
  'closedReason',
  'measure',
  'metAt',
  'lateness',
  'stage',
  'stageName',
  'subjectId',
  'team',
  'version',
] as const;

export function fromDeadlineItem(item: Record<string, unknown>): DeadlineRecord {
  return omitUndefined({
    id: item.id as string,
    caseId: item.caseId as string,
    rule: item.rule as string,
    status: item.status as DeadlineRecord['status'],
    dueAt: item.dueAt as string,
    limitAt: item.limitAt as string | undefined,
    startedAt: item.startedAt as string | undefined,
    closedAt: item.closedAt as string | undefined,
    closedReason: item.closedReason as string | undefined,
    measure: item.measure as DeadlineRecord['measure'],
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
