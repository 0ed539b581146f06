import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '#kernel/rules/index.js';
import { deadline, due, ev, opened, play } from './helpers.js';

describe('lado-notification (24 elapsed hours)', () => {
  it('runs 24 elapsed hours across the spring DST change', () => {
    // Prepare: raised Sat 28 Mar 2026 10:00 GMT; clocks go forward at 01:00 UTC on Sun 29 Mar.
    // 24 h × 3600 s later is 10:00Z on Sun 29 Mar = 11:00 BST (the DST change does not stretch it).
    const events = [
      opened('2026-03-27T09:00:00Z'),
      ev('lado.concern-raised', '2026-03-28T10:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    const d = deadline(aggregate, 'lado-notification.A-1');
    expect(d.dueAt.toISOString()).toBe('2026-03-29T10:00:00.000Z');
    // A clock counted in hours has one instant: its limit is its due time.
    expect(d.limitAt?.toISOString()).toBe('2026-03-29T10:00:00.000Z');
    expect(d).toMatchObject({ status: 'open', urgent: true, safeguarding: true, subjectId: 'A-1' });
    expect(d.explain.length).toBeGreaterThan(0);
    expect(d.ruleVersion).toMatch(/^2\./);
    expect(d.calendarVersion).toBeTruthy();
  });

  it('is met by lado.notified for the same allegation only', () => {
    // Prepare: two allegations raised Mon 9 Nov 2026 10:00Z; only A-1 is notified (11:00Z, in time).
    const events = [
      opened('2026-11-09T09:00:00Z'),
      ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-1' }),
      ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-2' }),
      ev('lado.notified', '2026-11-09T11:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(deadline(aggregate, 'lado-notification.A-1')).toMatchObject({
      status: 'met',
      version: 2,
    });
    expect(deadline(aggregate, 'lado-notification.A-2').status).toBe('open');
  });

  it('with the one-working-day variant, runs to close of business on the next working day (Easter)', () => {
    // Prepare: raised Thu 2 Apr 2026 10:00 BST. Fri 3 (Good Friday), Sat, Sun and Mon 6 (Easter
    // Monday) are not working days, so the 1st working day after is Tue 7 Apr → 17:00 BST = 16:00Z.
    const rules = loadRuleSet('southampton', { ladoNotification: 'one-working-day' });
    const events = [
      opened('2026-04-01T09:00:00Z'),
      ev('lado.concern-raised', '2026-04-02T09:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events, rules);
    const southampton = play(events);

    // Assess: the default is 24 elapsed hours → Fri 3 Apr 09:00Z, bank holiday or not.
    expect(due(aggregate, 'lado-notification.A-1')).toBe('2026-04-07T16:00:00.000Z');
    expect(due(southampton.aggregate, 'lado-notification.A-1')).toBe('2026-04-03T09:00:00.000Z');
  });

  it('breaches at dueAt when the notification comes late, and records when it was done', () => {
    // Prepare: raised Mon 9 Nov 2026 10:00Z → due Tue 10 Nov 10:00Z; notified Tue 12:00Z.
    const events = [
      opened('2026-11-09T09:00:00Z'),
      ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-1' }),
      ev('lado.notified', '2026-11-10T12:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate, audit } = play(events);

    // Assess
    const d = deadline(aggregate, 'lado-notification.A-1');
    expect(d.status).toBe('breached');
    expect(d.closedAt?.toISOString()).toBe('2026-11-10T10:00:00.000Z');
    expect(d.metAt?.toISOString()).toBe('2026-11-10T12:00:00.000Z');
    expect(audit.map((a) => a.kind)).toContain('met-late');
  });
});

describe('lado-response (24 working hours)', () => {
  it('Fri 15:00 + 24 working hours → Wed 15:00 (the docs/domain.md example)', () => {
    // Prepare: notified Fri 20 Nov 2026 15:00 GMT. Fri 15–17 = 2 h, Mon = 10 h, Tue = 18 h,
    // Wed 09:00 + 6 h = 15:00 GMT → 24 h.
    const events = [
      opened('2026-11-19T09:00:00Z'),
      ev('lado.concern-raised', '2026-11-20T14:00:00Z', { allegationId: 'A-1' }),
      ev('lado.notified', '2026-11-20T15:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'lado-response.A-1')).toBe('2026-11-25T15:00:00.000Z');
    expect(deadline(aggregate, 'lado-notification.A-1').status).toBe('met');
  });

  it('skips Good Friday and Easter Monday', () => {
    // Prepare: notified Thu 2 Apr 2026 15:00 BST (14:00Z). Thu 15–17 = 2 h; Fri 3 and Mon 6 are
    // bank holidays; Tue 7 = 10 h, Wed 8 = 18 h, Thu 9 09:00 + 6 h = 15:00 BST = 14:00Z.
    const events = [
      opened('2026-04-01T09:00:00Z'),
      ev('lado.concern-raised', '2026-04-02T13:00:00Z', { allegationId: 'A-1' }),
      ev('lado.notified', '2026-04-02T14:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(due(aggregate, 'lado-response.A-1')).toBe('2026-04-09T14:00:00.000Z');
  });

  it('is met by lado.responded', () => {
    // Prepare
    const events = [
      opened('2026-11-19T09:00:00Z'),
      ev('lado.concern-raised', '2026-11-20T14:00:00Z', { allegationId: 'A-1' }),
      ev('lado.notified', '2026-11-20T15:00:00Z', { allegationId: 'A-1' }),
      ev('lado.responded', '2026-11-23T10:00:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(deadline(aggregate, 'lado-response.A-1')).toMatchObject({ status: 'met' });
    expect(aggregate.deadlines.filter((d) => d.status === 'open')).toEqual([]);
  });
});

describe('out-of-order LADO events', () => {
  it('lado.notified before lado.concern-raised starts the response clock and meets the notification when it arrives', () => {
    // Prepare: the LADO database delivers "notified" (Mon 9 Nov 2026 11:00Z) before the case
    // system's "concern raised" (10:00Z, delivered later).
    const notified = ev('lado.notified', '2026-11-09T11:00:00Z', { allegationId: 'A-1' });
    const raised = ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-1' });

    // Act
    const first = play([opened('2026-11-09T09:00:00Z'), notified]);
    const second = play([raised], undefined, first.aggregate);

    // Assess
    expect(first.aggregate.deadlines.map((d) => d.id)).toEqual(['lado-response.A-1']);
    expect(first.audit.map((a) => a.kind)).toContain('early-stop');
    expect(deadline(second.aggregate, 'lado-notification.A-1')).toMatchObject({
      status: 'met',
      stopEventId: notified.id,
    });
    expect(second.aggregate.earlyStops).toEqual([]);
  });

  it('events before case.opened make a provisional case that case.opened completes', () => {
    // Prepare
    const raised = ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-1' });

    // Act
    const before = play([raised]);
    const after = play([opened('2026-11-09T09:00:00Z')], undefined, before.aggregate);

    // Assess
    expect(before.aggregate).toMatchObject({ provisional: true, team: 'unallocated' });
    expect(after.aggregate).toMatchObject({ provisional: false, team: 'north-assessment' });
    expect(deadline(after.aggregate, 'lado-notification.A-1').team).toBe('north-assessment');
  });
});
