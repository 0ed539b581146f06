/**
 * The compliance report's counters on the single table: one item per rule, team and month
 * (`REPORT#<YYYY-MM>` / `<rule>#<team>`). `reportUpdate` is the `ADD` of one delta, which the
 * case store puts in the same transaction as the deadline change it counts; `DynamoReportStore`
 * reads a range of months and replaces everything (`rebuild-reports`).
 *
 * Item attributes: `open`, `metOnTime`, `metLate`, `breached` and one number per lateness bin,
 * `lh_<n>` (hours), `lwh_<n>` (working hours), `lwd_<n>` (working days): how many clocks met
 * late were n whole units late.
 */
import {
  type DynamoDBDocumentClient,
  paginateScan,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { CaseAggregate } from '#kernel/model.js';
import type { ReportQuery, ReportStore } from '#kernel/ports.js';
import {
  emptyCounts,
  type Histogram,
  keyString,
  REPORT_OUTCOMES,
  type ReportItem,
} from '#kernel/reports/figures.js';
import { LATENESS_UNITS, type LatenessUnit } from '#kernel/reports/lateness.js';
import { batchWriteAll } from './batch.js';
import { busyAware } from './busy.js';
import { deserializeAggregate } from './codec.js';
import * as keys from './keys.js';
import { queryAll } from './query.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

const BIN_PREFIX: Record<LatenessUnit, string> = {
  hours: 'lh_',
  'working-hours': 'lwh_',
  'working-days': 'lwd_',
};

/** The transaction item that adds one delta to its report item (creating it when new). */
export function reportUpdate(tableName: string, item: ReportItem): TransactItem {
  const names: Record<string, string> = {
    '#entity': 'entity',
    '#month': 'month',
    '#rule': 'rule',
    '#team': 'team',
  };
  const values: Record<string, unknown> = {
    ':entity': 'report',
    ':month': item.key.month,
    ':rule': item.key.rule,
    ':team': item.key.team,
  };
  const adds: string[] = [];
  const addNumber = (attribute: string, value: number) => {
    if (value === 0) return;
    const n = adds.length;
    names[`#a${n}`] = attribute;
    values[`:a${n}`] = value;
    adds.push(`#a${n} :a${n}`);
  };
  for (const outcome of REPORT_OUTCOMES) addNumber(outcome, item.counts[outcome]);
  for (const unit of LATENESS_UNITS) {
    for (const [bin, n] of Object.entries(item.counts.late[unit] ?? {}))
      addNumber(`${BIN_PREFIX[unit]}${bin}`, n);
  }
  return {
    Update: {
      TableName: tableName,
      Key: keys.report(item.key.month, item.key.rule, item.key.team),
      UpdateExpression: `SET #entity = :entity, #month = :month, #rule = :rule, #team = :team ADD ${adds.join(', ')}`,
      ExpressionAttributeNames: names,
      ExpressionAttributeValues: values,
    },
  };
}

/** A stored report item's counters. */
export function fromReportItem(item: Record<string, unknown>): ReportItem {
  const counts = emptyCounts();
  for (const outcome of REPORT_OUTCOMES) counts[outcome] = Number(item[outcome] ?? 0);
  for (const unit of LATENESS_UNITS) {
    const prefix = BIN_PREFIX[unit];
    const histogram: Histogram = {};
    for (const [name, value] of Object.entries(item)) {
      if (!name.startsWith(prefix) || Number(value) === 0) continue;
      histogram[Number(name.slice(prefix.length))] = Number(value);
    }
    if (Object.keys(histogram).length > 0) counts.late[unit] = histogram;
  }
  return {
    key: { month: item.month as string, rule: item.rule as string, team: item.team as string },
    counts,
  };
}

/** A report item written whole (rebuild). */
function toReportItem(item: ReportItem): Record<string, unknown> {
  const bins: Record<string, number> = {};
  for (const unit of LATENESS_UNITS)
    for (const [bin, n] of Object.entries(item.counts.late[unit] ?? {}))
      bins[`${BIN_PREFIX[unit]}${bin}`] = n;
  return {
    ...keys.report(item.key.month, item.key.rule, item.key.team),
    entity: 'report',
    ...item.key,
    open: item.counts.open,
    metOnTime: item.counts.metOnTime,
    metLate: item.counts.metLate,
    breached: item.counts.breached,
    ...bins,
  };
}

/** `YYYY-MM` months from `from` to `to`, inclusive (at most 1,200). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let i = 0; i < 1200; i++) {
    const text = `${year}-${String(month).padStart(2, '0')}`;
    if (text > to) break;
    months.push(text);
    month = month === 12 ? 1 : month + 1;
    if (month === 1) year++;
  }
  return months;
}

export interface DynamoReportStoreOptions {
  /** Parallel scan segments of `scanCases` and the rebuild. @default 4 */
  segments?: number;
}

export class DynamoReportStore implements ReportStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly segments: number;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoReportStoreOptions = {},
  ) {
    this.client = busyAware(client);
    this.segments = options.segments ?? 4;
  }

  /** One query per month, side by side; a rule narrows each to `begins_with(sk, rule#)`. */
  async readReport(query: ReportQuery): Promise<ReportItem[]> {
    const teams = query.teams === undefined ? undefined : new Set(query.teams);
    const pages = await Promise.all(
      monthsBetween(query.from, query.to).map((month) =>
        queryAll(this.client, {
          TableName: this.tableName,
          KeyConditionExpression:
            query.rule === undefined ? 'pk = :pk' : 'pk = :pk AND begins_with(sk, :rule)',
          ExpressionAttributeValues: {
            ':pk': keys.reportPartition(month),
            ...(query.rule === undefined ? {} : { ':rule': `${query.rule}#` }),
          },
        }),
      ),
    );
    return pages
      .flat()
      .map(fromReportItem)
      .filter((item) => teams === undefined || teams.has(item.key.team));
  }

  async replaceAll(items: readonly ReportItem[]): Promise<{ written: number; deleted: number }> {
    const wanted = new Set(items.map((i) => keyString(i.key)));
    const stale: Record<string, unknown>[] = [];
    await this.scan('report', (item) => {
      if (!wanted.has(keyString(fromReportItem(item).key)))
        stale.push({ pk: item.pk, sk: item.sk });
    });
    await batchWriteAll(
      this.client,
      this.tableName,
      [
        ...items.map((i) => ({ PutRequest: { Item: toReportItem(i) } })),
        ...stale.map((Key) => ({ DeleteRequest: { Key } })),
      ],
      'report items',
    );
    return { written: items.length, deleted: stale.length };
  }

  /** Every case, one page at a time (nothing is kept: a council's cases need not fit in memory). */
  async scanCases(visit: (aggregate: CaseAggregate) => void): Promise<void> {
    await this.scan('case', (item) => visit(deserializeAggregate(item.aggregate as string)));
  }

  /** Every item of one entity, by a parallel Scan (segments read side by side). */
  private async scan(
    entity: 'case' | 'report',
    visit: (item: Record<string, unknown>) => void,
  ): Promise<void> {
    await Promise.all(
      Array.from({ length: this.segments }, async (_, segment) => {
        const pages = paginateScan(
          { client: this.client },
          {
            TableName: this.tableName,
            Segment: segment,
            TotalSegments: this.segments,
            FilterExpression: '#entity = :entity',
            ExpressionAttributeNames: { '#entity': 'entity' },
            ExpressionAttributeValues: { ':entity': entity },
            ConsistentRead: true,
          },
        );
        for await (const page of pages) for (const item of page.Items ?? []) visit(item);
      }),
    );
  }
}
