import { describe, expect, it } from 'vitest';
import { delegateAt, MAX_SHIFT_DAYS, onCallFrom } from '#kernel/reminders/directory-rules.js';
import { at } from '#test/support/reminders.js';

describe('delegateAt (who stands in for an away person)', () => {
  const periods = [
    { from: '2026-05-04T08:00:00.000Z', to: '2026-05-08T17:00:00.000Z', delegateId: 'P-0002' },
    // Starts later, overlapping the first: it wins where both cover.
    { from: '2026-05-06T08:00:00.000Z', to: '2026-05-07T08:00:00.000Z', delegateId: 'P-0003' },
  ];

  it.each([
    ['just before the first period', '2026-05-04T07:59:59.999Z', undefined],
    ['at the first period’s start (from is inclusive)', '2026-05-04T08:00:00.000Z', 'P-0002'],
    [
      'at the second period’s start: the latest-starting wins',
      '2026-05-06T08:00:00.000Z',
      'P-0003',
    ],
    ['inside both', '2026-05-06T20:00:00.000Z', 'P-0003'],
    [
      'at the second period’s end (to is exclusive): the first again',
      '2026-05-07T08:00:00.000Z',
      'P-0002',
    ],
    ['a millisecond before the first period’s end', '2026-05-08T16:59:59.999Z', 'P-0002'],
    ['at the first period’s end', '2026-05-08T17:00:00.000Z', undefined],
  ])('%s', (_, instant, expected) => {
    // Act
    const delegate = delegateAt(periods, at(instant));
    // Assess
    expect(delegate).toBe(expected);
  });

  it('is not fooled by the order the periods come in', () => {
    // Act
    const delegate = delegateAt([...periods].reverse(), at('2026-05-06T20:00:00Z'));
    // Assess
    expect(delegate).toBe('P-0003');
  });

  it('a later-starting period that has already ended does not hide an earlier one still running', () => {
    // Prepare
    const nested = [
      { from: '2026-05-01T00:00:00.000Z', to: '2026-05-31T00:00:00.000Z', delegateId: 'P-0002' },
      { from: '2026-05-10T00:00:00.000Z', to: '2026-05-11T00:00:00.000Z', delegateId: 'P-0003' },
    ];
    // Act
    const delegate = delegateAt(nested, at('2026-05-20T00:00:00Z'));
    // Assess
    expect(delegate).toBe('P-0002');
  });
});

describe('onCallFrom (who is EDT on call)', () => {
  const shifts = [
    { personId: 'P-0005', from: '2026-06-01T16:00:00.000Z', to: '2026-06-02T08:00:00.000Z' },
    // A swap entered for part of the night: it starts later, so it wins while it runs.
    { personId: 'P-0006', from: '2026-06-02T00:00:00.000Z', to: '2026-06-02T04:00:00.000Z' },
  ];

  it.each([
    ['before the shift', '2026-06-01T15:59:59.999Z', undefined],
    ['at the shift’s start (from is inclusive)', '2026-06-01T16:00:00.000Z', 'P-0005'],
    ['at the swap’s start: the latest-starting wins', '2026-06-02T00:00:00.000Z', 'P-0006'],
    ['at the swap’s end (to is exclusive): the rota again', '2026-06-02T04:00:00.000Z', 'P-0005'],
    ['at the shift’s end', '2026-06-02T08:00:00.000Z', undefined],
  ])('%s', (_, instant, expected) => {
    // Act
    const onCall = onCallFrom(shifts, at(instant));
    // Assess
    expect(onCall).toBe(expected);
  });

  it(`ignores a shift that started more than ${MAX_SHIFT_DAYS} days before, even if it still runs`, () => {
    // Prepare: a 40-day shift.
    const long = [
      { personId: 'P-0005', from: '2026-01-01T00:00:00.000Z', to: '2026-02-10T00:00:00.000Z' },
    ];
    // Act
    const exactly = onCallFrom(long, at('2026-02-01T00:00:00.000Z'));
    const past = onCallFrom(long, at('2026-02-01T00:00:00.001Z'));
    // Assess: MAX_SHIFT_DAYS after its start is still found; a millisecond later it is not.
    expect([exactly, past]).toEqual(['P-0005', undefined]);
  });

  it('two shifts starting at the same instant: the greater person id (the store’s key order)', () => {
    // Prepare
    const tied = [
      { personId: 'P-0006', from: '2026-06-01T16:00:00.000Z', to: '2026-06-02T08:00:00.000Z' },
      { personId: 'P-0005', from: '2026-06-01T16:00:00.000Z', to: '2026-06-02T08:00:00.000Z' },
    ];
    // Act
    const onCall = [
      onCallFrom(tied, at('2026-06-01T20:00:00Z')),
      onCallFrom([...tied].reverse(), at('2026-06-01T20:00:00Z')),
    ];
    // Assess
    expect(onCall).toEqual(['P-0006', 'P-0006']);
  });
});
