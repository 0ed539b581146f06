import { describe, expect, it } from 'vitest';
import { dueTimerName, subjectDeadlineId } from '#kernel/ids.js';
import { diffTimers, planTimers } from '#kernel/timers.js';
import { ctxAt, ev, opened, play } from './helpers.js';

const NAME = /^[0-9a-zA-Z._-]{1,64}$/;

describe('planTimers', () => {
  it('plans one due timer per open deadline, at dueAt, named from case, deadline and version', () => {
    // Prepare
    const { aggregate } = play([
      opened('2026-10-22T08:00:00Z'),
      ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' }),
      ev('disagreement.raised', '2026-10-23T10:00:00Z', { disagreementId: 'D-1' }),
      ev('disagreement.resolved', '2026-10-23T11:00:00Z', { disagreementId: 'D-1' }),
    ]);

    // Act
    const timers = planTimers(aggregate, ctxAt('2026-10-23T16:00:00Z'));

    // Assess
    expect(timers).toEqual([
      {
        name: 'C-1001.lado-notification.A-1.1.due',
        fireAt: new Date('2026-10-24T15:30:00Z'),
        payload: { caseId: 'C-1001', deadlineId: 'lado-notification.A-1', kind: 'due', version: 1 },
      },
    ]);
  });

  it('plans nothing for a closed case, and the diff cancels what was planned', () => {
    // Prepare
    const open = play([
      opened('2026-10-22T08:00:00Z'),
      ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' }),
    ]);
    const closed = play([ev('case.closed', '2026-10-23T16:00:00Z', {})], undefined, open.aggregate);
    const ctx = ctxAt('2026-10-23T16:00:00Z');

    // Act
    const diff = diffTimers(planTimers(open.aggregate, ctx), planTimers(closed.aggregate, ctx));

    // Assess
    expect(planTimers(closed.aggregate, ctx)).toEqual([]);
    expect(diff.schedule).toEqual([]);
    expect(diff.cancel.map((t) => t.name)).toEqual(['C-1001.lado-notification.A-1.1.due']);
  });

  it('keeps names within 64 safe characters for long or unusual ids', () => {
    // Prepare
    const caseId = `C:${'9'.repeat(62)}`;
    const subject = `A:${'x'.repeat(62)}`;

    // Act
    const id = subjectDeadlineId('building-bridges-supervision', subject);
    const name = dueTimerName({ caseId, id, version: 12345 });

    // Assess
    expect(id.length).toBeLessThanOrEqual(40);
    expect(id).toMatch(/^[0-9a-zA-Z._-]+$/);
    expect(name).toMatch(NAME);
    expect(subjectDeadlineId('lado-notification', 'A-1')).toBe('lado-notification.A-1');
  });
});
