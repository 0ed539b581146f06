import { describe, expect, it } from 'vitest';
import { fireTimer, RetryLaterError } from '#functions/fire/fire-timer.js';
import { InvalidTimerPayloadError, makeHandler } from '#functions/fire/handler.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import { DEFAULT_REMINDER_PLANS, reminderTimers } from '#kernel/reminders/index.js';
import type { Timer } from '#kernel/timers.js';
import { fireSetup, type MemoryFiringStore } from '#test/support/firing.js';
import { MemoryCaseStore } from '#test/support/memory-store.js';
import { at, calendar, caseAggregate, deadline, directoryOf } from '#test/support/reminders.js';

/** The case store, remembering the commits the fire path made. */
class MemoryCases extends MemoryCaseStore {
  commits: { after: CaseAggregate; audit: unknown[] }[] = [];
  override async commitCase(commit: Parameters<MemoryCaseStore['commitCase']>[0]) {
    this.commits.push(commit);
    await super.commitCase(commit);
  }
}

// Building Bridges supervision due Friday 22 May 2026 16:30 BST.
const bb = deadline({
  id: 'building-bridges-supervision.1',
  rule: 'building-bridges-supervision',
  hoursTeam: 'building-bridges',
  startedAt: at('2026-04-17T07:30:00Z'),
  dueAt: at('2026-05-22T15:30:00Z'),
  version: 2,
});
const aggregate = (deadlines: Deadline[], status: 'open' | 'closed' = 'open'): CaseAggregate =>
  caseAggregate({
    status,
    workers: [
      { personId: 'P-0006', role: 'building-bridges-worker' },
      { personId: 'P-0001', role: 'supervisor' },
    ],
    deadlines,
  });

/** The fire path with no fallback contact: a due timer marks every deadline breached. */
const setup = (agg: CaseAggregate, now: string, directory = directoryOf()) =>
  fireSetup(agg, now, {
    cases: new MemoryCases(),
    directory,
    fallback: undefined,
    advance: (a) => {
      const next = structuredClone(a);
      for (const d of next.deadlines as { status: string; version: number }[]) {
        d.status = 'breached';
        d.version++;
      }
      return {
        aggregate: next,
        audit: [{ caseId: a.caseId, at: new Date(0), kind: 'breached' as const, detail: {} }],
      };
    },
    // The reminders planner's own rule: open and breached deadlines plan their steps.
    planTimers: (a) =>
      a.deadlines.flatMap((d) => reminderTimers(d, calendar, DEFAULT_REMINDER_PLANS[d.rule])),
  });

const payload = (step: string, version = 2) => ({
  caseId: 'C-1001',
  deadlineId: bb.id,
  kind: 'reminder' as const,
  version,
  step,
});

describe('fire timer', () => {
  it('sends in the Building Bridges worker’s hours and defers the supervisor to 09:00, then sends once', async () => {
    // Prepare: Wednesday 20 May 2026 08:30 BST, "2 working days before".
    const t = setup(aggregate([bb]), '2026-05-20T07:30:00Z');
    // Act
    const first = await fireTimer(payload('b2wd'), t.deps);
    t.clock.current = at('2026-05-20T08:00:00Z');
    const deferred = t.scheduled[0] as Timer;
    const second = await fireTimer(deferred.payload, t.deps);
    // Assess
    expect(first).toMatchObject({ status: 'reminded', sent: 1, deferred: 1 });
    expect(deferred.fireAt).toEqual(at('2026-05-20T08:00:00Z'));
    expect(deferred.name).toMatch(/^r\.C-1001\.[0-9a-f]{16}\.v2\.b2wd\.h[0-9a-z]+$/);
    expect(second).toMatchObject({ status: 'reminded', sent: 1, duplicates: 1, deferred: 0 });
    expect(t.email.sent.map((m) => m.to)).toEqual([
      'bb.worker.one@example.gov.uk',
      'worker.one@example.gov.uk',
    ]);
    expect(t.email.sent[0]?.ics).toContain('METHOD:REQUEST');
    expect(t.email.sent[0]?.subject).toBe(
      'C-1001: Building Bridges supervision due soon — Friday 22 May 2026, 16:30 (BST)',
    );
    expect(t.audit.entries.map((e) => e.kind)).toEqual([
      'reminder-fired',
      'reminder-deferred',
      'reminder-sent',
      'reminder-fired',
      'reminder-sent',
    ]);
  });

  it('routes to the delegate while the worker is away and records the reroute', async () => {
    // Prepare
    const directory = directoryOf([
      {
        personId: 'P-0006',
        from: '2026-05-18T00:00:00Z',
        to: '2026-05-29T00:00:00Z',
        delegateId: 'P-0007',
      },
    ]);
    const t = setup(aggregate([bb]), '2026-05-20T08:00:00Z', directory);
    // Act
    await fireTimer(payload('b2wd'), t.deps);
    // Assess
    expect(t.email.sent.map((m) => m.to)).toEqual([
      'delegate.one@example.gov.uk',
      'worker.one@example.gov.uk',
    ]);
    expect(t.audit.entries.find((e) => e.kind === 'reminder-rerouted')?.detail).toMatchObject({
      personId: 'P-0007',
      forPersonId: 'P-0006',
      reason: 'away-delegate',
    });
  });

  it.each([
    ['a stale version', aggregate([bb]), payload('b2wd', 1), 'stale-version'],
    ['a closed case', aggregate([bb], 'closed'), payload('b2wd'), 'case-closed'],
    ['a met deadline', aggregate([{ ...bb, status: 'met' }]), payload('b2wd'), 'deadline-met'],
    [
      'a cancelled deadline',
      aggregate([{ ...bb, status: 'cancelled' }]),
      payload('b2wd'),
      'deadline-cancelled',
    ],
    ['an unknown step', aggregate([bb]), payload('nope'), 'not-planned'],
  ])('does nothing for %s', async (_, agg, p, reason) => {
    // Prepare
    const t = setup(agg, '2026-05-20T08:00:00Z');
    // Act
    const outcome = await fireTimer(p, t.deps);
    // Assess
    expect(outcome).toEqual({ status: 'ignored', reason });
    expect(t.email.sent).toEqual([]);
    expect(t.scheduled).toEqual([]);
  });

  it('records a reminder nobody can receive as failed', async () => {
    // Prepare: no worker holds any role the step names.
    const t = setup({ ...aggregate([bb]), workers: [] }, '2026-05-20T08:00:00Z');
    // Act
    const outcome = await fireTimer(payload('b2wd'), t.deps);
    // Assess
    expect(outcome).toMatchObject({ sent: 0, failed: 2 });
    expect(
      t.audit.entries.filter((e) => e.kind === 'reminder-failed').map((e) => e.detail.reason),
    ).toEqual(['no-worker-in-role', 'no-worker-in-role']);
  });

  it('on a due timer, commits the breach and re-plans the overdue reminders under the new version', async () => {
    // Prepare
    const t = setup(aggregate([bb]), '2026-05-22T15:30:00Z');
    // Act
    const outcome = await fireTimer(
      { caseId: 'C-1001', deadlineId: bb.id, kind: 'due', version: 2 },
      t.deps,
    );
    // Assess: the breach step (a routine clock: told once, no repeat) and the overdue steps.
    expect(outcome).toEqual({ status: 'advanced', changed: true });
    expect(t.cases.commits).toHaveLength(1);
    expect(t.cancelled).toHaveLength(5);
    expect(t.scheduled.map((s) => [s.payload.step, s.payload.version])).toEqual([
      ['breach', 3],
      ['o1wd', 3],
      ['o2wd', 3],
    ]);
    expect(t.audit.entries.map((e) => e.kind).sort()).toEqual([
      ...Array(5).fill('reminder-cancelled'),
      'reminder-planned',
      'reminder-planned',
      'reminder-planned',
    ]);
  });

  it.each([
    ['once, when the process remembers the digest timers it scheduled', new Set<string>(), 1],
    ['once per alert (the same name) without that memory', undefined, 2],
  ])(
    'schedules the team’s morning digest timer for a night of EDT alerts %s',
    async (_, memo, expected) => {
      // Prepare: two LADO notification clocks (24 h) raised Monday 1 June 2026 16:00 BST;
      // both 50% reminders fall at Tuesday 04:00 BST, out of hours, with P-0005 on the rota.
      const lado = (n: number) =>
        deadline({
          id: `lado-notification.${n}`,
          rule: 'lado-notification',
          startedAt: at('2026-06-01T15:00:00Z'),
          dueAt: at('2026-06-02T15:00:00Z'),
        });
      const directory = directoryOf(
        [],
        [{ personId: 'P-0005', from: '2026-06-01T16:00:00Z', to: '2026-06-02T08:00:00Z' }],
      );
      const agg = {
        ...aggregate([lado(1), lado(2)]),
        workers: [{ personId: 'P-0004', role: 'lado' as const }],
      };
      const t = setup(agg, '2026-06-02T03:00:00Z', directory);
      if (memo !== undefined) t.deps.reminder.digestsScheduled = memo;
      // Act
      for (const n of [1, 2])
        await fireTimer({ ...payload('p50', 1), deadlineId: `lado-notification.${n}` }, t.deps);
      // Assess: the EDT manager heard of both, by SMS and email; one digest timer, for 09:00 BST.
      expect(t.sms.sent.map((m) => m.to)).toEqual(['+447700900005', '+447700900005']);
      expect(t.email.sent).toHaveLength(2);
      const digests = t.scheduled.filter((timer) => timer.payload.kind === 'digest');
      expect(digests).toHaveLength(expected);
      expect(new Set(digests.map((d) => d.name)).size).toBe(1);
      expect(digests[0]?.fireAt).toEqual(at('2026-06-02T08:00:00Z'));
    },
  );

  it('the handler throws to be retried when another invocation holds the send', async () => {
    // Prepare
    const t = setup(aggregate([bb]), '2026-05-20T08:00:00Z');
    (t.deps.reminder.store as MemoryFiringStore).claims.claim = () => ({ outcome: 'in-flight' });
    const handler = makeHandler(t.deps as never);
    // Act
    const error = await handler(payload('b2wd')).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(RetryLaterError);
  });

  it('the handler refuses a malformed payload with an error that names the missing fields', async () => {
    const t = setup(aggregate([bb]), '2026-05-20T08:00:00Z');
    const error = await makeHandler(t.deps as never)({ caseId: 'C-1001' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidTimerPayloadError);
    expect((error as InvalidTimerPayloadError).issues).toEqual([
      'deadlineId: invalid_type',
      'kind: invalid_type',
      'version: invalid_type',
    ]);
  });
});
