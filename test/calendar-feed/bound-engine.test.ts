/**
 * The bound engine recomputes a stale case before it advances it (the timer path), and the
 * cached feed picks up a newly stored feed in the background once it is 5 minutes old.
 */
import { describe, expect, inject, it } from 'vitest';
import type { GovUkFeed } from '#kernel/calendar/index.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import { reminderPlans, reminderTimerPlanner } from '#kernel/reminders/index.js';
import { DEFAULT_PLANNERS, planTimers } from '#kernel/timers.js';
import { CachedCalendarFeed, putCalendarFeed } from '#platform/dynamodb/calendar-feed.js';
import type { CaseEvent } from '#schemas/events.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { govUkFixture } from '#test/calendar/helpers.js';

const INVENTED = {
  title: 'Invented one-off day (test)',
  date: '2027-06-04',
  notes: '',
  bunting: true,
};

function newerFeed(): GovUkFeed {
  const feed = govUkFixture();
  feed['england-and-wales']?.events.push(INVENTED);
  return feed;
}

const event = (id: string, type: string, occurredAt: string, data: object) =>
  ({ id, type, occurredAt, caseId: 'C-BOUND-1', data }) as unknown as CaseEvent;

describe('the bound engine', () => {
  it('recomputes a case computed with an older calendar before advancing it', () => {
    // Prepare: raised Thursday 3 June 2027 10:00 BST → due Monday 7 June 17:00 BST (16:00Z)
    const old = makeCaseEngine(AUTHORITY);
    const at = new Date('2027-06-03T09:00:00Z');
    let agg = old.applyEvent(
      undefined,
      event('e1', 'case.opened', '2027-06-03T08:00:00Z', { team: 't' }),
      at,
    ).aggregate;
    agg = old.applyEvent(
      agg,
      event('e2', 'disagreement.raised', '2027-06-03T09:00:00Z', { disagreementId: 'D-1' }),
      at,
    ).aggregate;
    const engine = makeCaseEngine(AUTHORITY, undefined, { feed: newerFeed() });
    const fired = new Date('2027-06-07T16:00:00Z');

    // Act: the old `due` timer fires at Monday 17:00 BST
    const stale = engine.isStale(agg);
    const result = engine.advance(agg, fired);

    // Assess: not escalated; due one working day later (Tuesday 8 June 17:00 BST)
    expect(stale).toBe(true);
    expect(old.advance(agg, fired).audit.map((e) => e.kind)).toContain('escalated');
    const d = result.aggregate.deadlines.find((x) => x.rule === 'disagreement');
    expect(d?.dueAt.toISOString()).toBe('2027-06-08T16:00:00.000Z');
    expect(d?.stage).toBe(1);
    expect(result.audit.map((e) => e.kind)).toEqual(['recomputed']);
    expect(engine.isStale(result.aggregate)).toBe(false);
  });
});

describe('the cached feed', () => {
  it('re-checks the stored feed in the background once it is 5 minutes old', async () => {
    // Prepare
    const { client, tableName } = await freshTable(inject('dynamoEndpoint'), 'feedcache');
    let ms = Date.parse('2027-06-01T00:00:00Z');
    const source = await new CachedCalendarFeed(client, tableName, { now: () => ms }).ready();
    const engine = makeCaseEngine(AUTHORITY, undefined, { feed: source });
    const builtIn = engine.calendar.version;
    await putCalendarFeed(client, tableName, newerFeed(), new Date(ms));

    // Act
    ms += 4 * 60_000;
    const early = engine.calendar.version;
    await new Promise((r) => setTimeout(r, 200));
    const stillEarly = engine.calendar.version;
    ms += 60_001;
    engine.calendar.version; // starts the re-check
    let later = engine.calendar.version;
    for (let i = 0; i < 100 && later === builtIn; i++) {
      await new Promise((r) => setTimeout(r, 20));
      later = engine.calendar.version;
    }

    // Assess
    expect(early).toBe(builtIn);
    expect(stillEarly).toBe(builtIn);
    expect(later).not.toBe(builtIn);
    expect(engine.calendar.isWorkingDay('2027-06-04')).toBe(false);
  });
});

describe('the bound engine’s plan memos', () => {
  it('plan what planning from scratch does, event after event and after a new feed', () => {
    // Prepare: a feed source the test can replace.
    let current = { feed: govUkFixture(), sha256: 'first' };
    const engine = makeCaseEngine(AUTHORITY, reminderPlans(), { feed: { current: () => current } });
    const fromScratch = (aggregate: CaseAggregate) =>
      planTimers(aggregate, { calendar: engine.calendar, rules: engine.rules }, [
        ...DEFAULT_PLANNERS,
        reminderTimerPlanner(reminderPlans()),
      ]);
    const steps = [
      event('m1', 'case.opened', '2027-05-03T08:00:00Z', { team: 't', riskLevel: 'high' }),
      event('m2', 'building-bridges.started', '2027-05-03T09:00:00Z', { personId: 'P-0006' }),
      event('m3', 'disagreement.raised', '2027-05-04T09:00:00Z', { disagreementId: 'D-1' }),
      event('m4', 'lado.concern-raised', '2027-05-05T09:00:00Z', { allegationId: 'A-1' }),
      event('m5', 'case.updated', '2027-05-05T10:00:00Z', { riskLevel: 'standard' }),
      event('m6', 'lado.notified', '2027-05-05T11:00:00Z', { allegationId: 'A-1' }),
      event('m7', 'disagreement.resolved', '2027-05-06T09:00:00Z', { disagreementId: 'D-1' }),
    ];
    let aggregate: CaseAggregate | undefined;
    for (const step of steps) {
      aggregate = engine.applyEvent(aggregate, step, new Date(step.occurredAt)).aggregate;
      const text = JSON.stringify(aggregate);
      // Act + Assess: with the stored text (the case memo) and without (the deadline memo),
      // twice each, so the second of each is answered from a memo.
      for (let i = 0; i < 2; i++) {
        expect(engine.planTimers(aggregate, new Date(), text)).toEqual(fromScratch(aggregate));
        expect(engine.planTimers(aggregate, new Date())).toEqual(fromScratch(aggregate));
      }
    }
    const open = aggregate as CaseAggregate;
    // Building Bridges supervision due Monday 7 June 2027: "2 working days before" is
    // Thursday 3 June, and Wednesday 2 June once Friday 4 June is a bank holiday.
    const b2wd = (timers: ReturnType<typeof fromScratch>) =>
      timers
        .find((t) => t.payload.step === 'b2wd')
        ?.fireAt.toISOString()
        .slice(0, 10);
    const before = engine.planTimers(open, new Date(), JSON.stringify(open));
    expect(b2wd(before)).toBe('2027-06-03');
    // Act: a newer feed adds Friday 4 June 2027.
    current = { feed: newerFeed(), sha256: 'second' };
    const after = engine.planTimers(open, new Date(), JSON.stringify(open));
    // Assess
    expect(b2wd(after)).toBe('2027-06-02');
    expect(after).toEqual(fromScratch(open));
  });

  it('hand out timers a caller cannot change, and arrays it may', () => {
    // Prepare: an open case with a running clock, planned once so the memos hold its plan.
    const engine = makeCaseEngine(AUTHORITY, reminderPlans());
    const opened = engine.applyEvent(
      undefined,
      event('f1', 'case.opened', '2027-05-03T08:00:00Z', { team: 't' }),
      new Date('2027-05-03T08:00:00Z'),
    ).aggregate;
    const raised = engine.applyEvent(
      opened,
      event('f2', 'disagreement.raised', '2027-05-04T09:00:00Z', { disagreementId: 'D-1' }),
      new Date('2027-05-04T09:00:00Z'),
    ).aggregate;
    const text = JSON.stringify(raised);
    const first = engine.planTimers(raised, new Date(), text);
    const expected = structuredClone(first);
    const timer = first[0]!;
    // Act + Assess: the timers are frozen (ES modules are strict, so a write throws) ...
    expect(() => {
      timer.payload.version = 99;
    }).toThrow(TypeError);
    expect(() => {
      timer.fireAt = new Date(0);
    }).toThrow(TypeError);
    // ... and the array is the caller's own: emptying it changes no later plan.
    first.splice(0, first.length);
    expect(engine.planTimers(raised, new Date(), text)).toEqual(expected);
    expect(engine.planTimers(raised, new Date())).toEqual(expected);
  });

  it('plan a deadline again when any field its timers are planned from changed', () => {
    // Prepare: a case with a LADO clock, a disagreement ladder and a joint supervision, under
    // an authority with a team working 12:00-14:00.
    const lateDay = { open: '12:00', close: '14:00' };
    const engine = makeCaseEngine(
      {
        ...AUTHORITY,
        teamHours: { late: { 1: lateDay, 2: lateDay, 3: lateDay, 4: lateDay, 5: lateDay } },
      },
      reminderPlans(),
    );
    const fromScratch = (aggregate: CaseAggregate) =>
      planTimers(aggregate, { calendar: engine.calendar, rules: engine.rules }, [
        ...DEFAULT_PLANNERS,
        reminderTimerPlanner(reminderPlans()),
      ]);
    let open: CaseAggregate | undefined;
    for (const step of [
      event('g1', 'case.opened', '2027-05-03T08:00:00Z', {
        team: 't',
        jointWithMentalHealth: true,
      }),
      event('g2', 'lado.concern-raised', '2027-05-04T09:00:00Z', { allegationId: 'A-1' }),
      event('g3', 'disagreement.raised', '2027-05-04T09:00:00Z', { disagreementId: 'D-1' }),
    ])
      open = engine.applyEvent(open, step, new Date(step.occurredAt)).aggregate;
    const base = open as CaseAggregate;
    const breached = structuredClone(base);
    Object.assign(clockOf(breached, 'lado-notification'), { status: 'breached' });
    const day = 86_400_000;
    const plus = (d: Date, days: number) => new Date(d.getTime() + days * day);
    type Clock = CaseAggregate['deadlines'][number];
    const cases: [string, CaseAggregate, string, (d: Clock, a: CaseAggregate) => void][] = [
      ['version', base, 'lado-notification', (d) => Object.assign(d, { version: d.version + 1 })],
      ['dueAt', base, 'lado-notification', (d) => Object.assign(d, { dueAt: plus(d.dueAt, 7) })],
      [
        'startedAt',
        base,
        'lado-notification',
        (d) => Object.assign(d, { startedAt: plus(d.startedAt, -1) }),
      ],
      [
        'arrivedAt',
        base,
        'lado-notification',
        (d) => Object.assign(d, { arrivedAt: plus(d.dueAt, 1) }),
      ],
      ['status', base, 'lado-notification', (d) => Object.assign(d, { status: 'breached' })],
      ['hoursTeam', base, 'joint-supervision', (d) => Object.assign(d, { hoursTeam: 'late' })],
      [
        'stageStartedAt',
        base,
        'disagreement',
        (d) => Object.assign(d, { stageStartedAt: plus(d.startedAt, -1) }),
      ],
      [
        'metAt',
        breached,
        'lado-notification',
        (d) => Object.assign(d, { metAt: plus(d.dueAt, 1) }),
      ],
      [
        'safeguarding',
        breached,
        'lado-notification',
        (d) => Object.assign(d, { safeguarding: !d.safeguarding }),
      ],
      ['case status', base, 'joint-supervision', (_, a) => Object.assign(a, { status: 'closed' })],
    ];
    for (const [field, before, rule, change] of cases) {
      const changed = structuredClone(before);
      change(clockOf(changed, rule), changed);
      // The change moves the plan, so a memo that missed it would answer wrongly.
      expect(fromScratch(changed), `${field} changes the plan`).not.toEqual(fromScratch(before));
      // The memo holds the clock as it was: the changed field is the only difference.
      expect(engine.planTimers(before, new Date())).toEqual(fromScratch(before));
      // Act + Assess
      expect(engine.planTimers(changed, new Date()), field).toEqual(fromScratch(changed));
    }
    // closedAt of a supervision cancelled after its invitation went out: the invitation's
    // cancellation goes at closedAt, so an hour later moves it.
    const cancelled = structuredClone(base);
    const supervision = clockOf(cancelled, 'joint-supervision');
    const hour = 3_600_000;
    const closedAt = new Date(supervision.dueAt.getTime() - 2 * hour);
    Object.assign(supervision, { status: 'cancelled', closedAt });
    const later = structuredClone(cancelled);
    Object.assign(clockOf(later, 'joint-supervision'), {
      closedAt: new Date(closedAt.getTime() + hour),
    });
    expect(fromScratch(later)).not.toEqual(fromScratch(cancelled));
    expect(engine.planTimers(cancelled, new Date())).toEqual(fromScratch(cancelled));
    expect(engine.planTimers(later, new Date())).toEqual(fromScratch(later));
  });
});

function clockOf(aggregate: CaseAggregate, rule: string): CaseAggregate['deadlines'][number] {
  const clock = aggregate.deadlines.find((d) => d.rule === rule);
  if (clock === undefined) throw new Error(`no ${rule} clock`);
  return clock;
}

describe('a timer planned from the memos', () => {
  it('keeps its fireAt: no source in functions/ calls a Date setter on a fireAt', async () => {
    // A frozen timer's fireAt is still a Date, which freezing cannot protect: the memos share
    // it between plans, so nothing may change it in place.
    const { readdir, readFile } = await import('node:fs/promises');
    const root = new URL('../../functions/', import.meta.url);
    const files = (await readdir(root, { recursive: true })).filter((f) => f.endsWith('.ts'));
    const offenders: string[] = [];
    for (const file of files) {
      const text = await readFile(new URL(file, root), 'utf8');
      if (/fireAt\??\.set[A-Z]/.test(text)) offenders.push(file);
    }
    expect(offenders).toEqual([]);
  });
});
