import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { rebuildReports } from '#functions/operations/rebuild-reports.js';
import { complianceCsv, complianceReport } from '#functions/web/reports.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import { isZero, reportItemsOf } from '#kernel/reports/figures.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoReportStore } from '#platform/dynamodb/report-store.js';
import type { CaseEvent } from '#schemas/events.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';

const engine = makeCaseEngine(AUTHORITY);
let cases: DynamoCaseStore;
let reports: DynamoReportStore;

beforeEach(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'reports');
  cases = new DynamoCaseStore(table.client, table.tableName);
  reports = new DynamoReportStore(table.client, table.tableName);
});

let n = 0;
const event = (caseId: string, type: string, occurredAt: string, data: object = {}) =>
  ({ id: `e-${n++}`, type, occurredAt, caseId, data }) as unknown as CaseEvent;

/** Applies an event (or advances the clocks to `now`) and commits, as ingest and the timers do. */
async function apply(caseId: string, change: CaseEvent | { advanceTo: string }): Promise<void> {
  const stored = await cases.loadCase(caseId);
  const result =
    'advanceTo' in change
      ? engine.advance(stored!.aggregate, new Date(change.advanceTo))
      : engine.applyEvent(stored?.aggregate, change, new Date(change.occurredAt));
  await cases.commitCase({
    caseId,
    expectedVersion: stored?.version ?? 0,
    before: stored?.aggregate,
    after: result.aggregate,
    audit: result.audit,
    now: new Date(),
  });
}

const open = (caseId: string, team = 'north', at = '2027-05-20T09:00:00Z') =>
  apply(caseId, event(caseId, 'case.opened', at, { team }));
const concern = (caseId: string, allegationId: string, at: string) =>
  apply(caseId, event(caseId, 'lado.concern-raised', at, { allegationId }));
const notified = (caseId: string, allegationId: string, at: string) =>
  apply(caseId, event(caseId, 'lado.notified', at, { allegationId }));

const csvRows = (text: string) =>
  parse(text, { columns: true, record_delimiter: '\r\n' }) as Record<string, string>[];

describe('the compliance report from the counters the commits keep', () => {
  it('four LADO notifications due in June 2027, three met on time and one breached: 75.0 % (worked by hand)', async () => {
    // Prepare: concerns raised 1–4 June 2027 at 10:00 BST, each due 24 hours later (in June)
    await open('C-2001');
    for (const [i, day] of ['01', '02', '03', '04'].entries())
      await concern('C-2001', `A-${i + 1}`, `2027-06-${day}T09:00:00Z`);
    // Three notified within their 24 hours; the fourth passes its due time unmet.
    await notified('C-2001', 'A-1', '2027-06-01T15:00:00Z');
    await notified('C-2001', 'A-2', '2027-06-03T08:00:00Z');
    await notified('C-2001', 'A-3', '2027-06-03T12:00:00Z');
    await apply('C-2001', { advanceTo: '2027-06-05T12:00:00Z' });
    // Act
    const rows = await complianceReport(
      { from: '2027-06', to: '2027-06', rule: 'lado-notification' },
      { reports, rules: engine.rules },
    );
    const csv = complianceCsv(rows);
    // Assess: parsed back with a real CSV parser, every column as the issue names it
    expect(csv.split('\r\n')[0]).toBe(
      'rule,team,month,due,met_on_time,met_late,breached,open,on_time_pct,median_lateness,p75_lateness,lateness_unit',
    );
    expect(csvRows(csv)).toEqual([
      {
        rule: 'lado-notification',
        team: 'north',
        month: '2027-06',
        due: '4',
        met_on_time: '3',
        met_late: '0',
        breached: '1',
        open: '0',
        on_time_pct: '75.0',
        median_lateness: '',
        p75_lateness: '',
        lateness_unit: 'hours',
      },
    ]);
  });

  it('lateness of clocks met late: 3 and 5 hours late → median 4, p75 4.5 hours', async () => {
    // Prepare: two concerns raised Monday 7 June 2027 10:00 BST, due Tuesday 10:00 BST
    await open('C-2002');
    await concern('C-2002', 'A-1', '2027-06-07T09:00:00Z');
    await concern('C-2002', 'A-2', '2027-06-07T09:00:00Z');
    await apply('C-2002', { advanceTo: '2027-06-08T09:30:00Z' });
    // Notified 2 h 30 (→ 3 h) and 5 h late
    await notified('C-2002', 'A-1', '2027-06-08T11:30:00Z');
    await notified('C-2002', 'A-2', '2027-06-08T14:00:00Z');
    // Act
    const [row] = await complianceReport(
      { from: '2027-06', to: '2027-06', rule: 'lado-notification' },
      { reports, rules: engine.rules },
    );
    // Assess: both closed late, none on time; the lado-response clocks they started are open
    expect(row).toMatchObject({
      due: 2,
      metOnTime: 0,
      metLate: 2,
      breached: 0,
      onTimePct: 0,
      medianLateness: 4,
      p75Lateness: 4.5,
      latenessUnit: 'hours',
    });
    const all = await complianceReport(
      { from: '2027-06', to: '2027-06' },
      { reports, rules: engine.rules },
    );
    expect(all.find((r) => r.rule === 'lado-response')).toMatchObject({ due: 2, open: 2 });
  });

  it('a cancelled clock leaves the report; a team manager reads only their teams', async () => {
    await open('C-2003', 'north');
    await open('C-2004', 'south');
    await concern('C-2003', 'A-1', '2027-06-10T09:00:00Z');
    await concern('C-2004', 'A-1', '2027-06-10T09:00:00Z');
    await apply('C-2004', event('C-2004', 'case.closed', '2027-06-10T10:00:00Z'));
    const read = (teams?: string[]) =>
      complianceReport({ from: '2027-01', to: '2027-12', teams }, { reports, rules: engine.rules });
    expect((await read()).map((r) => [r.team, r.rule, r.open])).toEqual([
      ['north', 'lado-notification', 1],
    ]);
    expect(await read(['south'])).toEqual([]);
  });

  it('rebuild-reports writes the same report as the commits kept, for random histories', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('concern' as const), a: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('notified' as const), a: fc.integer({ min: 1, max: 4 }) }),
      fc.record({ kind: fc.constant('advance' as const) }),
      fc.record({ kind: fc.constant('close' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            caseNo: fc.integer({ min: 1, max: 3 }),
            team: fc.constantFrom('north', 'south'),
            steps: fc.array(step, { maxLength: 6 }),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (histories) => {
          // Prepare: a fresh table per run
          const table = await freshTable(inject('dynamoEndpoint'), 'rebuild');
          cases = new DynamoCaseStore(table.client, table.tableName);
          reports = new DynamoReportStore(table.client, table.tableName);
          let clock = Date.parse('2027-06-01T08:00:00Z');
          const tick = (hours: number) => {
            clock += hours * 3_600_000;
            return new Date(clock).toISOString();
          };
          for (const [h, history] of histories.entries()) {
            const caseId = `C-3${h}${history.caseNo}`;
            if ((await cases.loadCase(caseId)) === undefined)
              await open(caseId, history.team, tick(0));
            for (const s of history.steps) {
              if (s.kind === 'concern') await concern(caseId, `A-${s.a}`, tick(3));
              if (s.kind === 'notified') await notified(caseId, `A-${s.a}`, tick(7));
              if (s.kind === 'advance') await apply(caseId, { advanceTo: tick(20) });
              if (s.kind === 'close') await apply(caseId, event(caseId, 'case.closed', tick(1)));
            }
          }
          const deps = { reports, rules: engine.rules };
          const range = { from: '2027-01', to: '2028-12' };
          const kept = await complianceReport(range, deps);
          const zeroed = (await reports.readReport(range)).filter((i) => isZero(i.counts));
          // Act
          const summary = await rebuildReports({ cases: reports, reports });
          // Assess: the same rows; the only items dropped are cells whose clocks all went
          // (a concern whose case closed leaves a cell of zeros)
          expect(await complianceReport(range, deps)).toEqual(kept);
          expect(summary.deleted).toBe(zeroed.length);
        },
      ),
      { numRuns: 5 },
    );
  }, 120_000);
});

describe('a commit touching more report cells than one transaction holds', () => {
  it('writes every counter (the rest in follow-up transactions) and every projection', async () => {
    // Prepare: one case whose commit opens 150 clocks, each in its own team (150 report
    // items), so the transaction holds case + 99 items and the rest follow.
    const base = engine.applyEvent(
      undefined,
      event('C-4001', 'case.opened', '2027-06-01T09:00:00Z', { team: 'north' }),
      new Date('2027-06-01T09:00:00Z'),
    ).aggregate;
    const template: Deadline = {
      id: 'x',
      caseId: 'C-4001',
      rule: 'lado-notification',
      status: 'open',
      startedAt: new Date('2027-06-01T09:00:00Z'),
      dueAt: new Date('2027-06-02T09:00:00Z'),
      team: 'north',
      urgent: true,
      safeguarding: true,
      ruleVersion: '1',
      calendarVersion: 'v',
      version: 1,
      explain: [],
    };
    const after: CaseAggregate = {
      ...base,
      deadlines: Array.from({ length: 150 }, (_, i) => ({
        ...template,
        id: `d-${i}`,
        team: `team-${i}`,
      })),
    };
    // Act
    await cases.commitCase({
      caseId: 'C-4001',
      expectedVersion: 0,
      before: undefined,
      after,
      audit: [],
      now: new Date(),
    });
    // Assess
    const items = await reports.readReport({ from: '2027-06', to: '2027-06' });
    expect(items).toHaveLength(150);
    expect(items.every((i) => i.counts.open === 1)).toBe(true);
    expect(await cases.listDeadlines('C-4001')).toHaveLength(150);
    expect(reportItemsOf(after.deadlines)).toHaveLength(150);
  });
});
