import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, dueTimerName, subjectDeadlineId } from '#kernel/ids.js';
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

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves out undefined members', () => {
    // Prepare: keys out of order, an undefined member, an array of records, a Date.
    const value = {
      b: 1,
      a: [{ d: undefined, c: 'x', B: null }, 2],
      at: new Date('2026-10-23T15:30:00Z'),
    };
    // Act
    const text = canonicalJson(value);
    // Assess: "B" (U+0042) sorts before "c" (U+0063); the Date is written as JSON writes it.
    expect(text).toBe('{"a":[{"B":null,"c":"x"},2],"at":"2026-10-23T15:30:00.000Z","b":1}');
  });

  it('gives one text for equal JSON whatever the key order, and that text parses back to it', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        // Act
        const text = canonicalJson(value);
        const reordered = canonicalJson(reverseKeys(value));
        // Assess
        expect(reordered).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 300 },
    );
  });
});

/** The same JSON value with every record's keys inserted in reverse order. */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).reverse())
    Object.defineProperty(out, key, {
      value: reverseKeys((value as Record<string, unknown>)[key]),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out;
}
