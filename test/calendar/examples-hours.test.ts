/**
 * Worked examples of months, weeks, openings and working hours, each checked by hand against
 * docs/domain.md "Exact semantics" and a wall calendar; 9:00–17:00 office hours unless a team
 * is named.
 */
import { describe, expect, it } from 'vitest';
import {
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  atWorkingFraction,
  BUILDING_BRIDGES_HOURS,
  isOpen,
  nextOpening,
  workingDaysBefore,
  workingHoursBefore,
  workingMsBetween,
} from '#kernel/calendar/index.js';
import { at, cal, local } from './helpers.js';

const HOUR = 3_600_000;

describe('months and weeks', () => {
  it('31 August + 6 months clamps to Sunday 28 February, then rolls back to Friday 26th', () => {
    // Prepare
    const from = at('2026-08-31T10:00:00+01:00');

    // Act
    const { due, explain } = addMonths(cal(), from, 6);

    // Assess
    expect(local(due)).toBe('2027-02-26T17:00:00+00:00');
    expect(explain[0]).toBe(
      "6 months after Monday 31 August 2026 is Sunday 28 February 2027 (February 2027 has no day 31, so the month's last day).",
    );
    expect(explain[1]).toContain('rolls back to the preceding working day');
  });

  it('25 June + 6 months lands on Christmas Day 2026 and rolls back to Thursday 24th', () => {
    // Prepare
    const from = at('2026-06-25T10:00:00+01:00');

    // Act
    const { due } = addMonths(cal(), from, 6);

    // Assess
    expect(local(due)).toBe('2026-12-24T17:00:00+00:00');
  });

  it('a working target day needs no roll', () => {
    // Prepare
    const from = at('2026-01-16T10:00:00Z');

    // Act
    const { due, explain } = addMonths(cal(), from, 1);

    // Assess
    expect(local(due)).toBe('2026-02-16T17:00:00+00:00');
    expect(explain.join(' ')).not.toContain('rolls back');
  });

  it('5 weeks from Monday 2 March 2026 is Easter Monday, so Thursday 2 April', () => {
    // Prepare
    const from = at('2026-03-02T10:00:00Z');

    // Act
    const { due, explain } = addWeeks(cal(), from, 5);

    // Assess
    expect(local(due)).toBe('2026-04-02T17:00:00+01:00');
    expect(explain).toContain(
      'Passed over Friday 3 April 2026: Good Friday, a bank holiday in England and Wales.',
    );
  });

  it('Building Bridges supervision 5 weeks after a Friday closes at 16:30', () => {
    // Prepare
    const friday = at('2026-02-06T10:00:00Z');

    // Act
    const { due } = addWeeks(cal(), friday, 5, BUILDING_BRIDGES_HOURS);

    // Assess
    expect(local(due)).toBe('2026-03-13T16:30:00+00:00');
  });
});

describe('hours, openings and working time', () => {
  it('Building Bridges: Friday 16:00 + 1 working hour is Monday 09:00', () => {
    // Prepare
    const friday = at('2026-01-16T16:00:00Z');

    // Act
    const { due } = addWorkingHours(cal(), friday, 1, BUILDING_BRIDGES_HOURS);

    // Assess
    expect(local(due)).toBe('2026-01-19T09:00:00+00:00');
  });

  it('working time from Friday 15:00 to Wednesday 15:00 is 24 hours; 75% of it is reached on Tuesday 17:00', () => {
    // Prepare
    const start = at('2026-01-16T15:00:00Z');
    const due = at('2026-01-21T15:00:00Z');

    // Act
    const worked = workingMsBetween(cal(), start, due);
    const threeQuarters = atWorkingFraction(cal(), start, due, 0.75);

    // Assess
    expect(worked).toBe(24 * HOUR);
    expect(local(threeQuarters)).toBe('2026-01-20T17:00:00+00:00');
  });

  it('isOpen and nextOpening around Good Friday 2026', () => {
    // Prepare
    const calendar = cal();

    // Act
    const goodFriday = at('2026-04-03T12:00:00+01:00');

    // Assess
    expect(isOpen(calendar, goodFriday)).toBe(false);
    expect(local(nextOpening(calendar, goodFriday))).toBe('2026-04-07T09:00:00+01:00');
    expect(isOpen(calendar, at('2026-04-07T09:00:00+01:00'))).toBe(true);
    expect(isOpen(calendar, at('2026-04-07T17:00:00+01:00'))).toBe(false);
    expect(nextOpening(calendar, at('2026-04-07T12:00:00+01:00')).toISOString()).toBe(
      '2026-04-07T11:00:00.000Z',
    );
  });

  it('2 working days before Tuesday 7 April 2026 opens Wednesday 1 April (Easter skipped)', () => {
    // Prepare
    const tuesday = at('2026-04-07T12:00:00+01:00');

    // Act
    const before = workingDaysBefore(cal(), tuesday, 2);

    // Assess
    expect(local(before)).toBe('2026-04-01T09:00:00+01:00');
  });
});

describe('working hours before a due time', () => {
  it('24 working hours before Wednesday 15:00 is the Friday before at 15:00', () => {
    // Prepare: Wednesday 21 January 2026 15:00 GMT; no bank holiday that week or the one before.
    const due = at('2026-01-21T15:00:00Z');

    // Act
    const from = workingHoursBefore(cal(), due, 24);

    // Assess: Wed 6 h + Tue 8 h + Mon 8 h + Fri 2 h (15:00–17:00).
    expect(local(from)).toBe('2026-01-16T15:00:00+00:00');
  });

  it('a whole day before a close of business is that day’s opening, not the close before it', () => {
    // Prepare: Wednesday 21 January 2026 17:00 GMT.
    const due = at('2026-01-21T17:00:00Z');

    // Act
    const eight = workingHoursBefore(cal(), due, 8);
    const sixteen = workingHoursBefore(cal(), due, 16);

    // Assess: from Tuesday 17:00 eight working hours remain too, but 09:00 Wednesday is later.
    expect(local(eight)).toBe('2026-01-21T09:00:00+00:00');
    expect(local(sixteen)).toBe('2026-01-20T09:00:00+00:00');
  });

  it('skips a bank holiday: 8 working hours before Tuesday 7 April 2026 10:00 BST is Thursday 2 April 10:00', () => {
    // Prepare: Good Friday 3 April and Easter Monday 6 April are bank holidays.
    const due = at('2026-04-07T10:00:00+01:00');

    // Act
    const from = workingHoursBefore(cal(), due, 8);

    // Assess: Tuesday 09:00–10:00 is 1 h; Thursday 10:00–17:00 is the other 7.
    expect(local(from)).toBe('2026-04-02T10:00:00+01:00');
  });
});

describe('calendars made elsewhere', () => {
  it('a test double implementing Calendar gets the same arithmetic', () => {
    // Prepare
    const real = cal('scotland');
    const double = {
      division: real.division,
      version: 'double',
      isWorkingDay: (d: string) => real.isWorkingDay(d),
      dayInfo: (d: string) => real.dayInfo(d),
      holidays: (y: number) => real.holidays(y),
      hoursFor: () => real.hoursFor(),
    };
    const from = at('2021-12-31T10:00:00Z');

    // Act
    const { due, explain } = addWorkingDays(double, from, 1);

    // Assess
    expect(local(due)).toBe('2022-01-05T17:00:00+00:00');
    expect(explain).toContain(
      'Skipped Tuesday 4 January 2022: 2nd January (substitute day), a bank holiday in Scotland.',
    );
  });
});
