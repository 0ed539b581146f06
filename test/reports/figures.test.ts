import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadlinesCsv } from '#functions/web/reports.js';
import { createCalendar } from '#kernel/calendar/index.js';
import type { DeadlineRecord } from '#kernel/records.js';
import { dfeWorkingDays } from '#kernel/reports/dfe.js';
import {
  addCounts,
  emptyCounts,
  type FigureSource,
  figureOf,
  isZero,
  keyString,
  monthOf,
  quantile,
  type ReportCounts,
  reportDeltas,
  reportItemsOf,
  reportRow,
} from '#kernel/reports/figures.js';
import { LATENESS_CAP, latenessOf } from '#kernel/reports/lateness.js';

const cal = createCalendar({ division: 'england-and-wales' });
const at = (iso: string) => new Date(iso);

describe('lateness, in the clock’s own kind of time', () => {
  it('hours: elapsed hours rounded up (30 minutes late is 1, 2 h 30 is 3)', () => {
    // Prepare: a 24-hour clock due Tuesday 8 June 2027 10:00 BST (09:00Z)
    const due = at('2027-06-08T09:00:00Z');
    // Act / Assess
    expect(latenessOf(cal, 'hours', due, at('2027-06-08T09:30:00Z'))).toEqual({
      amount: 1,
      unit: 'hours',
    });
    expect(latenessOf(cal, 'hours', due, at('2027-06-08T11:30:00Z')).amount).toBe(3);
  });

  it('working hours: only office time counts; late out of hours is still 1', () => {
    // Due Wednesday 9 June 2027 15:00 BST; met Thursday 11:00 BST: 2 h (15–17) + 2 h (9–11)
    const due = at('2027-06-09T14:00:00Z');
    expect(latenessOf(cal, 'working-hours', due, at('2027-06-10T10:00:00Z')).amount).toBe(4);
    // Met at 18:00 the same evening: 15:00–17:00 counts, the evening does not.
    expect(latenessOf(cal, 'working-hours', due, at('2027-06-09T17:00:00Z')).amount).toBe(2);
    // Due at close of business on Friday 11 June, met on Saturday: no office time, but late.
    const friday = at('2027-06-11T16:00:00Z');
    expect(latenessOf(cal, 'working-hours', friday, at('2027-06-12T09:00:00Z')).amount).toBe(1);
  });

  it('working days: the days after the limit’s date up to the stop’s date, counted by date', () => {
    // Limit: the end of Friday 28 May 2027 (midnight BST, 23:00Z); Monday 31 May 2027 is the
    // Spring bank holiday.
    const limit = at('2027-05-28T23:00:00Z');
    // Met Saturday: not a working day, so the next one counts, Tuesday 1 June → 1.
    expect(latenessOf(cal, 'working-days', limit, at('2027-05-29T10:00:00Z')).amount).toBe(1);
    // Met Tuesday 10:00 → 1; met Wednesday 2 June 16:00 → 2; met Friday 4 June 17:30 — by
    // date, that Friday, however late in the day → Tue, Wed, Thu, Fri = 4.
    expect(latenessOf(cal, 'working-days', limit, at('2027-06-01T09:00:00Z')).amount).toBe(1);
    expect(latenessOf(cal, 'working-days', limit, at('2027-06-02T15:00:00Z')).amount).toBe(2);
    expect(latenessOf(cal, 'working-days', limit, at('2027-06-04T16:30:00Z')).amount).toBe(4);
  });

  it('working days from an older deadline’s close-of-business due time count from its own date', () => {
    // A deadline stored before limits: its due time (17:00 BST Friday 28 May) stands for both.
    const due = at('2027-05-28T16:00:00Z');
    expect(latenessOf(cal, 'working-days', due, at('2027-06-02T15:00:00Z')).amount).toBe(2);
  });

  it('is capped at LATENESS_CAP units', () => {
    const due = at('2027-06-08T09:00:00Z');
    const years = at('2032-06-08T09:00:00Z');
    expect(latenessOf(cal, 'hours', due, years).amount).toBe(LATENESS_CAP);
    expect(latenessOf(cal, 'working-days', due, years).amount).toBe(LATENESS_CAP);
  });
});

describe('where a deadline counts', () => {
  const base = { rule: 'lado-notification', team: 'north', dueAt: '2027-06-30T23:30:00Z' };

  it('by the Europe/London month of its due time', () => {
    // 23:30Z on 30 June is 00:30 BST on 1 July; 23:30Z on 31 December is still December.
    expect(monthOf(base.dueAt)).toBe('2027-07');
    expect(monthOf('2027-12-31T23:30:00Z')).toBe('2027-12');
  });

  it('as one of four outcomes; a cancelled clock does not count', () => {
    const key = { month: '2027-07', rule: 'lado-notification', team: 'north' };
    expect(figureOf({ ...base, status: 'open' })).toEqual({ key, outcome: 'open' });
    expect(figureOf({ ...base, status: 'met' })).toEqual({ key, outcome: 'metOnTime' });
    expect(figureOf({ ...base, status: 'breached' })).toEqual({ key, outcome: 'breached' });
    const late = { amount: 3, unit: 'hours' as const };
    expect(
      figureOf({ ...base, status: 'breached', metAt: '2027-07-01T02:00:00Z', lateness: late }),
    ).toEqual({ key, outcome: 'metLate', late });
    expect(figureOf({ ...base, status: 'cancelled' })).toBeUndefined();
    expect(figureOf({ ...base, team: undefined, status: 'open' })?.key.team).toBe('unallocated');
  });

  it('a clock the DfE measures is on time by its working days by date, whatever the limit said', () => {
    // An assessment completed on the Saturday after its 45th working day: breached at the
    // limit, met late by 1 working day — and 45 working days by the DfE: on time in the report.
    const assessment = { ...base, rule: 'assessment', status: 'breached' as const };
    const key = { month: '2027-07', rule: 'assessment', team: 'north' };
    const late = { amount: 1, unit: 'working-days' as const };
    expect(
      figureOf({
        ...assessment,
        metAt: '2027-07-03T10:00:00Z',
        lateness: late,
        measure: { workingDays: 45, within: 45 },
      }),
    ).toEqual({ key, outcome: 'metOnTime' });
    // 46 working days: late, with its lateness.
    expect(
      figureOf({
        ...assessment,
        metAt: '2027-07-05T10:00:00Z',
        lateness: late,
        measure: { workingDays: 46, within: 45 },
      }),
    ).toEqual({ key, outcome: 'metLate', late });
    // Not yet met: still a breach.
    expect(figureOf({ ...assessment, measure: undefined })).toEqual({ key, outcome: 'breached' });
  });
});

describe('quantiles from a histogram', () => {
  it('match a hand-worked example: lateness 3 and 5 hours → median 4, p75 4.5', () => {
    expect(quantile({ 3: 1, 5: 1 }, 0.5)).toBe(4);
    expect(quantile({ 3: 1, 5: 1 }, 0.75)).toBe(4.5);
    // 1, 1, 2, 7: median (1 + 2) / 2; p75 at rank 2.25 → 2 + 0.25 × 5
    expect(quantile({ 1: 2, 2: 1, 7: 1 }, 0.5)).toBe(1.5);
    expect(quantile({ 1: 2, 2: 1, 7: 1 }, 0.75)).toBe(3.25);
    expect(quantile({}, 0.5)).toBeUndefined();
  });

  it('equal the inclusive quantile (R-7, PERCENTILE.INC) of the values the histogram holds', () => {
    const reference = (values: number[], p: number) => {
      const sorted = [...values].sort((a, b) => a - b);
      const h = (sorted.length - 1) * p;
      const lo = Math.floor(h);
      const low = sorted[lo] as number;
      return lo + 1 < sorted.length ? low + (h - lo) * ((sorted[lo + 1] as number) - low) : low;
    };
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 1, maxLength: 80 }),
        fc.constantFrom(0.25, 0.5, 0.75, 0.9),
        (values, p) => {
          const histogram: Record<number, number> = {};
          for (const v of values) histogram[v] = (histogram[v] ?? 0) + 1;
          expect(quantile(histogram, p)).toBeCloseTo(reference(values, p), 9);
        },
      ),
    );
  });
});

describe('report rows', () => {
  it('four LADO notifications due in June 2027 for one team, three met on time, one breached: 75 %', () => {
    const counts: ReportCounts = { open: 0, metOnTime: 3, metLate: 0, breached: 1, late: {} };
    const row = reportRow(
      { key: { month: '2027-06', rule: 'lado-notification', team: 'north' }, counts },
      'hours',
    );
    expect(row).toEqual({
      rule: 'lado-notification',
      team: 'north',
      month: '2027-06',
      due: 4,
      metOnTime: 3,
      metLate: 0,
      breached: 1,
      open: 0,
      onTimePct: 75,
      medianLateness: undefined,
      p75Lateness: undefined,
      latenessUnit: 'hours',
    });
  });

  it('leave open clocks out of the denominator, and have no percentage while all are open', () => {
    const counts: ReportCounts = { open: 2, metOnTime: 1, metLate: 1, breached: 0, late: {} };
    const key = { month: '2027-06', rule: 'r', team: 't' };
    expect(reportRow({ key, counts }).onTimePct).toBe(50);
    expect(reportRow({ key, counts }).due).toBe(4);
    expect(reportRow({ key, counts: { ...emptyCounts(), open: 3 } }).onTimePct).toBeUndefined();
  });
});

/** A deadline's possible states over its life, as the engine moves it. */
const deadlineState = (id: string) =>
  fc.record({
    id: fc.constant(id),
    rule: fc.constantFrom('lado-notification', 'joint-supervision'),
    team: fc.constantFrom('north', 'south', undefined),
    status: fc.constantFrom('open', 'met', 'breached', 'cancelled'),
    dueAt: fc
      .integer({ min: Date.parse('2027-01-01T00:00:00Z'), max: Date.parse('2027-04-30T00:00:00Z') })
      .map((ms) => new Date(ms)),
    metLate: fc.option(fc.integer({ min: 1, max: 30 }), { nil: undefined }),
  }) as fc.Arbitrary<FigureSource & { id: string; metLate?: number }>;

const asSource = (d: FigureSource & { id: string; metLate?: number }) =>
  d.status === 'breached' && d.metLate !== undefined
    ? { ...d, metAt: d.dueAt, lateness: { amount: d.metLate, unit: 'hours' as const } }
    : d;

describe('report deltas', () => {
  it('added up over any sequence of commits, equal the figures of the last state (what a rebuild writes)', () => {
    const commit = fc
      .array(fc.integer({ min: 0, max: 5 }), { maxLength: 6 })
      .chain((ids) => fc.tuple(...[...new Set(ids)].map((i) => deadlineState(`d${i}`))));
    fc.assert(
      fc.property(fc.array(commit, { minLength: 1, maxLength: 8 }), (states) => {
        // Act: each commit replaces the case's deadlines; deltas are summed per key
        const sums = new Map<string, ReportCounts>();
        let before: (FigureSource & { id: string })[] = [];
        for (const state of states) {
          const after = state.map(asSource);
          for (const delta of reportDeltas(before, after)) {
            const id = keyString(delta.key);
            sums.set(id, addCounts(sums.get(id) ?? emptyCounts(), delta.counts));
          }
          before = after;
        }
        // Assess: the same counters as adding up the final deadlines from scratch
        const rebuilt = new Map(reportItemsOf(before).map((i) => [keyString(i.key), i.counts]));
        const kept = [...sums].filter(([, counts]) => !isZero(counts));
        expect(new Set(kept.map(([id]) => id))).toEqual(new Set(rebuilt.keys()));
        for (const [id, counts] of kept) {
          const expected = rebuilt.get(id) as ReportCounts;
          for (const o of ['open', 'metOnTime', 'metLate', 'breached'] as const)
            expect(counts[o]).toBe(expected[o]);
          const nonZero = (h: Record<number, number> | undefined) =>
            Object.fromEntries(Object.entries(h ?? {}).filter(([, n]) => n !== 0));
          expect(nonZero(counts.late.hours)).toEqual(nonZero(expected.late.hours));
        }
      }),
    );
  });

  it('are empty when nothing a report counts changed', () => {
    const d = {
      id: 'd1',
      rule: 'lado-notification',
      team: 'north',
      status: 'open' as const,
      dueAt: '2027-06-02T09:00:00Z',
    };
    expect(reportDeltas([d], [{ ...d }])).toEqual([]);
  });
});

describe('the DfE’s working days by date (England and Wales bank holidays)', () => {
  it('counts 0 on the same day and the working days after the start date up to the stop date', () => {
    // Referral Thu 21 Aug 2025 → completion: same day 0; Fri 22 Aug 1; Tue 26 Aug 2 (Mon 25
    // the Summer bank holiday); Fri 24 Oct 45 and Sat 25 Oct still 45; Mon 27 Oct 46.
    const referral = at('2025-08-21T09:00:00Z');
    expect(dfeWorkingDays(cal, referral, at('2025-08-21T16:00:00Z'))).toBe(0);
    expect(dfeWorkingDays(cal, referral, at('2025-08-22T10:00:00Z'))).toBe(1);
    expect(dfeWorkingDays(cal, referral, at('2025-08-26T10:00:00Z'))).toBe(2);
    expect(dfeWorkingDays(cal, referral, at('2025-10-24T22:00:00Z'))).toBe(45);
    expect(dfeWorkingDays(cal, referral, at('2025-10-25T10:00:00Z'))).toBe(45);
    expect(dfeWorkingDays(cal, referral, at('2025-10-27T10:00:00Z'))).toBe(46);
  });

  it('knows no authority closure day: the return counts bank holidays only', () => {
    const closed = createCalendar({ division: 'england-and-wales', closures: ['2025-08-22'] });
    expect(dfeWorkingDays(closed, at('2025-08-21T09:00:00Z'), at('2025-08-26T10:00:00Z'))).toBe(2);
  });
});

describe('deadlines.csv', () => {
  it('gives the limit beside the due time, the DfE’s working days, and the outcome against them', () => {
    // Prepare: the assessment completed the Saturday after its 45th working day (Fri 24 Oct
    // 2025): breached at the limit, met late by 1 working day, on time by the DfE's 45.
    const record: DeadlineRecord = {
      id: 'assessment.R-1',
      caseId: 'C-1001',
      rule: 'assessment',
      status: 'breached',
      team: 'north',
      startedAt: '2025-08-21T09:00:00.000Z',
      dueAt: '2025-10-24T16:00:00.000Z',
      limitAt: '2025-10-24T23:00:00.000Z',
      metAt: '2025-10-25T10:00:00.000Z',
      lateness: { amount: 1, unit: 'working-days' },
      measure: { workingDays: 45, within: 45 },
      explain: [],
    };

    // Act
    const rows = parse(deadlinesCsv([record]), { columns: true }) as Record<string, string>[];

    // Assess
    expect(rows).toEqual([
      {
        case: 'C-1001',
        deadline: 'assessment.R-1',
        rule: 'assessment',
        team: 'north',
        started: '2025-08-21T10:00:00+01:00',
        due: '2025-10-24T17:00:00+01:00',
        limit: '2025-10-25T00:00:00+01:00',
        met: '2025-10-25T11:00:00+01:00',
        status: 'met_on_time',
        lateness: '1',
        lateness_unit: 'working-days',
        working_days: '45',
      },
    ]);
  });
});
