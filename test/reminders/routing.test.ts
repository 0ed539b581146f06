import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_PLANS,
  type ReminderStep,
  routeReminder,
} from '#kernel/reminders/index.js';
import type { CaseWorker } from '#kernel/reminders/types.js';
import { at, calendar, directoryOf } from '#test/support/reminders.js';

const workers: CaseWorker[] = [
  { personId: 'P-0001', role: 'supervisor' },
  { personId: 'P-0002', role: 'team-manager' },
  { personId: 'P-0004', role: 'lado' },
  { personId: 'P-0006', role: 'building-bridges-worker' },
];
const supervision = DEFAULT_REMINDER_PLANS['joint-supervision'];
const bb = DEFAULT_REMINDER_PLANS['building-bridges-supervision'];
const lado = DEFAULT_REMINDER_PLANS['lado-notification'];
const step = (plan: typeof supervision, key: string) =>
  plan.steps.find((s) => s.key === key) as ReminderStep;
const edtShift = { personId: 'P-0005', from: '2026-05-22T16:00:00Z', to: '2026-05-26T08:00:00Z' };

describe('routing', () => {
  it('sends a routine reminder by email inside the recipient’s hours', async () => {
    // Act: Thursday 21 May 2026 09:00 BST.
    const routing = await routeReminder({
      plan: supervision,
      step: step(supervision, 'b2wd'),
      deadline: {},
      workers,
      now: at('2026-05-21T08:00:00Z'),
      calendar,
      directory: directoryOf(),
    });
    // Assess: only the supervisor holds a named role on this case; the others are unroutable.
    expect(routing.deliveries).toEqual([
      {
        personId: 'P-0001',
        channel: 'email',
        to: 'worker.one@example.gov.uk',
        via: 'direct',
        forPersonId: 'P-0001',
      },
    ]);
    expect(routing.unroutable.map((u) => u.role)).toEqual([
      'mh-supervisor',
      'allocated-worker',
      'mh-worker',
    ]);
    expect(routing.deferrals).toEqual([]);
  });

  it('holds a routine reminder outside the recipient’s team hours to their next opening', async () => {
    // Act: Friday 22 May 2026 16:45 BST: office still open, Building Bridges closed at 16:30.
    const routing = await routeReminder({
      plan: bb,
      step: step(bb, 'day'),
      deadline: {},
      workers,
      now: at('2026-05-22T15:45:00Z'),
      calendar,
      directory: directoryOf(),
    });
    // Assess: the supervisor (office hours) now; the BB worker Tuesday 08:30 (Monday is a bank holiday).
    expect(routing.deliveries.map((d) => d.personId)).toEqual(['P-0001']);
    expect(routing.deferrals).toEqual([
      {
        personId: 'P-0006',
        forPersonId: 'P-0006',
        via: 'direct',
        until: at('2026-05-26T07:30:00Z'),
      },
    ]);
  });

  it('routes to the delegate while the recipient is away', async () => {
    // Prepare
    const directory = directoryOf([
      {
        personId: 'P-0001',
        from: '2026-05-18T00:00:00Z',
        to: '2026-05-29T00:00:00Z',
        delegateId: 'P-0007',
      },
    ]);
    // Act
    const routing = await routeReminder({
      plan: supervision,
      step: step(supervision, 'b2wd'),
      deadline: {},
      workers,
      now: at('2026-05-21T08:00:00Z'),
      calendar,
      directory,
    });
    // Assess
    expect(routing.deliveries).toEqual([
      {
        personId: 'P-0007',
        channel: 'email',
        to: 'delegate.one@example.gov.uk',
        via: 'delegate',
        forPersonId: 'P-0001',
      },
    ]);
  });

  it('escalates overdue reminders to the manager, then the head of service', async () => {
    // Prepare
    const now = at('2026-05-27T08:00:00Z');
    const input = {
      plan: supervision,
      deadline: {},
      workers,
      now,
      calendar,
      directory: directoryOf(),
    };
    // Act
    const first = await routeReminder({ ...input, step: step(supervision, 'o1wd') });
    const second = await routeReminder({ ...input, step: step(supervision, 'o2wd') });
    // Assess: P-0001's manager is P-0002, whose manager is P-0003.
    expect(first.deliveries.map((d) => d.personId)).toEqual(['P-0002']);
    expect(second.deliveries.map((d) => d.personId)).toEqual(['P-0003']);
  });

  it('sends an urgent reminder out of hours at once to the EDT manager on call, by SMS and email', async () => {
    // Act: Saturday 23 May 2026 04:30 BST.
    const routing = await routeReminder({
      plan: lado,
      step: step(lado, 'p50'),
      deadline: { urgent: true },
      workers,
      now: at('2026-05-23T03:30:00Z'),
      calendar,
      directory: directoryOf([], [edtShift]),
    });
    // Assess: the morning digest goes to the case's team manager, not the LADO.
    expect(routing.edt).toBe(true);
    expect(routing.dayRecipients).toEqual(['P-0002']);
    expect(routing.deliveries).toEqual([
      {
        personId: 'P-0005',
        channel: 'sms',
        to: '+447700900005',
        via: 'edt',
        forPersonId: 'P-0004',
      },
      {
        personId: 'P-0005',
        channel: 'email',
        to: 'edt.manager.one@example.gov.uk',
        via: 'edt',
        forPersonId: 'P-0004',
      },
    ]);
  });

  it('sends an urgent reminder in office hours to the role at once', async () => {
    // Act: Friday 22 May 2026 11:00 BST.
    const routing = await routeReminder({
      plan: lado,
      step: step(lado, 'p75'),
      deadline: {},
      workers,
      now: at('2026-05-22T10:00:00Z'),
      calendar,
      directory: directoryOf([], [edtShift]),
    });
    // Assess
    expect(routing.edt).toBe(false);
    expect(routing.deliveries).toEqual([
      {
        personId: 'P-0004',
        channel: 'email',
        to: 'lado.one@example.gov.uk',
        via: 'direct',
        forPersonId: 'P-0004',
      },
    ]);
  });

  it('treats the breach of a safeguarding clock as urgent', async () => {
    // Act: a supervision-style plan on a safeguarding clock, overdue at Saturday 10:00.
    const routing = await routeReminder({
      plan: supervision,
      step: step(supervision, 'o1wd'),
      deadline: { safeguarding: true },
      workers,
      now: at('2026-05-23T09:00:00Z'),
      calendar,
      directory: directoryOf([], [edtShift]),
    });
    // Assess
    expect(routing.edt).toBe(true);
    expect(routing.deliveries.map((d) => [d.personId, d.channel])).toEqual([
      ['P-0005', 'sms'],
      ['P-0005', 'email'],
    ]);
  });

  it('tells the people named at once when nobody is on the EDT rota', async () => {
    // Act
    const routing = await routeReminder({
      plan: lado,
      step: step(lado, 'p50'),
      deadline: {},
      workers,
      now: at('2026-05-23T03:30:00Z'),
      calendar,
      directory: directoryOf(),
    });
    // Assess
    expect(routing.unroutable).toEqual([{ reason: 'no-edt-on-call' }]);
    expect(routing.deliveries.map((d) => [d.personId, d.channel])).toEqual([
      ['P-0004', 'sms'],
      ['P-0004', 'email'],
    ]);
  });
});
