import { describe, expect, it } from 'vitest';
import { loadRuleSet } from '#kernel/rules/index.js';
import { deadline, due, ev, opened, play } from './helpers.js';

/**
 * The acceptance scenario, across the autumn DST change (Sun 25 Oct 2026); with
 * `notified`, the LADO is notified on Fri 23 Oct 16:45 BST, before co-working starts.
 */
const scenario = (notified = false) => [
  // Thu 22 Oct 2026 09:00 BST: opened with joint mental-health involvement.
  opened('2026-10-22T08:00:00Z', {
    jointWithMentalHealth: true,
    workers: [
      { personId: 'P-0001', role: 'allocated-worker' },
      { personId: 'P-0002', role: 'mh-worker' },
    ],
  }),
  // Fri 23 Oct 11:00 BST: a professional disagreement.
  ev('disagreement.raised', '2026-10-23T10:00:00Z', { disagreementId: 'D-1' }),
  // Fri 23 Oct 16:30 BST: a LADO concern.
  ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' }),
  ...(notified ? [ev('lado.notified', '2026-10-23T15:45:00Z', { allegationId: 'A-1' })] : []),
  // Mon 26 Oct 10:00 GMT: co-working starts, reviewed every 6 weeks.
  ev('coworking.started', '2026-10-26T10:00:00Z', { reviewEveryWeeks: 6 }),
];

describe('acceptance: joint MH case with LADO concern, disagreement and co-working', () => {
  it('yields the deadlines docs/domain.md prescribes', () => {
    // Prepare / Act
    const { aggregate } = play(scenario());

    // Assess
    const open = Object.fromEntries(aggregate.deadlines.map((d) => [d.id, d.dueAt.toISOString()]));
    expect(open).toEqual({
      // 22 Oct 2026 + 6 months = Thu 22 Apr 2027 (working day), 17:00 BST = 16:00Z.
      'joint-supervision.1': '2027-04-22T16:00:00.000Z',
      // Fri 23 Oct: working days after are Mon 26 (1), Tue 27 (2) → 17:00 GMT (DST ended Sun 25).
      'disagreement.D-1': '2026-10-27T17:00:00.000Z',
      // 15:30Z + 24 elapsed hours → Sat 24 Oct 15:30Z (16:30 BST): weekends count.
      'lado-notification.A-1': '2026-10-24T15:30:00.000Z',
      // Mon 26 Oct + 42 days → Mon 7 Dec 2026, 17:00 GMT.
      'co-working-review.1': '2026-12-07T17:00:00.000Z',
    });
    // Nobody notified the LADO: when co-working starts (Mon 26 Oct, now = then) that clock
    // has been breached at its due instant; the others are open.
    expect(Object.fromEntries(aggregate.deadlines.map((d) => [d.id, d.status]))).toEqual({
      'joint-supervision.1': 'open',
      'disagreement.D-1': 'open',
      'lado-notification.A-1': 'breached',
      'co-working-review.1': 'open',
    });
    expect(deadline(aggregate, 'lado-notification.A-1').closedAt?.toISOString()).toBe(
      '2026-10-24T15:30:00.000Z',
    );
    expect(aggregate.deadlines.every((d) => d.team === 'north-assessment')).toBe(true);
  });

  it('notifying the LADO meets its clock and starts the 24-working-hour response across DST', () => {
    // Prepare: notified Fri 23 Oct 16:45 BST. Fri 16:45–17:00 = 0.25 h; Mon 26 → 8.25 h;
    // Tue 27 → 16.25 h; Wed 28 09:00 + 7.75 h = 16:45 GMT = 16:45Z.
    const events = scenario(true);

    // Act
    const { aggregate } = play(events);

    // Assess
    expect(deadline(aggregate, 'lado-notification.A-1').status).toBe('met');
    expect(due(aggregate, 'lado-response.A-1')).toBe('2026-10-28T16:45:00.000Z');
  });

  it('closing the case cancels every open deadline and warns about the missing joint supervision', () => {
    // Prepare
    const events = [...scenario(true), ev('case.closed', '2026-10-27T12:00:00Z', {})];

    // Act
    const { aggregate, audit } = play(events);

    // Assess
    expect(aggregate.status).toBe('closed');
    expect(aggregate.deadlines.filter((d) => d.status === 'open')).toEqual([]);
    expect(Object.fromEntries(aggregate.deadlines.map((d) => [d.id, d.status]))).toEqual({
      'joint-supervision.1': 'cancelled',
      'disagreement.D-1': 'cancelled',
      'lado-notification.A-1': 'met',
      'lado-response.A-1': 'cancelled',
      'co-working-review.1': 'cancelled',
    });
    const warning = audit.find((a) => a.kind === 'warning');
    expect(warning?.detail).toMatchObject({
      reason: 'closed-without-joint-supervision',
      lastJointSupervision: null,
      windowWeeks: 4,
    });
  });
});

describe('closing a case', () => {
  it('does not warn when a joint supervision was held in the preceding 4 weeks', () => {
    // Prepare: supervision Mon 2 Nov 2026, closed Mon 16 Nov (2 weeks later).
    const events = [
      opened('2026-10-01T08:00:00Z', { jointWithMentalHealth: true }),
      ev('supervision.held', '2026-11-02T10:00:00Z', { kind: 'joint' }),
      ev('case.closed', '2026-11-16T10:00:00Z', {}),
    ];

    // Act
    const { audit } = play(events);
    const strict = play(events, loadRuleSet('southampton', { closureWarningWeeks: 1 }));

    // Assess: with a 1-week window the same closure warns.
    expect(audit.some((a) => a.kind === 'warning')).toBe(false);
    expect(strict.audit.some((a) => a.kind === 'warning')).toBe(true);
  });

  it('does not warn for a case without joint working', () => {
    // Prepare
    const events = [opened('2026-10-01T08:00:00Z'), ev('case.closed', '2026-11-16T10:00:00Z', {})];

    // Act
    const { audit } = play(events);

    // Assess
    expect(audit.map((a) => a.kind)).toEqual(['case-opened', 'case-closed']);
  });

  it('records later events in the audit but creates nothing', () => {
    // Prepare
    const closed = play([
      opened('2026-10-01T08:00:00Z'),
      ev('case.closed', '2026-10-02T10:00:00Z', {}),
    ]);

    // Act
    const { aggregate, audit } = play(
      [ev('lado.concern-raised', '2026-10-03T10:00:00Z', { allegationId: 'A-1' })],
      undefined,
      closed.aggregate,
    );

    // Assess
    expect(aggregate.deadlines).toEqual([]);
    expect(aggregate.status).toBe('closed');
    expect(audit).toEqual([
      expect.objectContaining({
        kind: 'ignored',
        detail: expect.objectContaining({ reason: 'case is closed' }),
      }),
    ]);
  });
});

describe('duplicates', () => {
  it('the same event applied twice changes nothing the second time', () => {
    // Prepare
    const raised = ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' });
    const first = play([opened('2026-10-22T08:00:00Z'), raised]);

    // Act
    const second = play([raised], undefined, first.aggregate);

    // Assess
    expect(second.aggregate).toBe(first.aggregate);
    expect(second.audit).toEqual([]);
  });

  it('a second concern for the same allegation (new event id) keeps one clock', () => {
    // Prepare
    const events = [
      opened('2026-10-22T08:00:00Z'),
      ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' }),
      ev('lado.concern-raised', '2026-10-23T16:30:00Z', { allegationId: 'A-1' }),
    ];

    // Act
    const { aggregate, audit } = play(events);

    // Assess
    expect(aggregate.deadlines).toHaveLength(1);
    expect(due(aggregate, 'lado-notification.A-1')).toBe('2026-10-24T15:30:00.000Z');
    expect(audit.at(-1)?.kind).toBe('duplicate');
  });
});
