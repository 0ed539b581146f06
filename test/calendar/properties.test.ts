import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addHours,
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  atWorkingFraction,
  BUILDING_BRIDGES_HOURS,
  type Calendar,
  createCalendar,
  DEFAULT_OFFICE_HOURS,
  DIVISIONS,
  formatLocal,
  isOpen,
  localDate,
  nextOpening,
  parseInstant,
  type WeeklyHours,
  workingHoursBefore,
  workingMsBetween,
} from '#kernel/calendar/index.js';

const HOUR = 3_600_000;
const calendars = DIVISIONS.map((division) =>
  createCalendar({ division, closures: ['2026-12-24', '2027-04-01', '2030-06-14'] }),
);
const instant = fc.date({
  min: new Date('2018-01-01T00:00:00Z'),
  max: new Date('2030-12-31T00:00:00Z'),
  noInvalidDate: true,
});
const calendar = fc.constantFrom(...calendars);
const hours = fc.constantFrom<WeeklyHours>(DEFAULT_OFFICE_HOURS, BUILDING_BRIDGES_HOURS, {
  1: { open: '10:00', close: '14:00' },
  3: { open: '07:45', close: '19:15' },
});

const clockOf = (d: Date): string => formatLocal(d).slice(11, 16);
const closeOf = (h: WeeklyHours, d: Date): string | undefined => {
  const weekday = ((new Date(`${localDate(d)}T12:00:00Z`).getUTCDay() + 6) % 7) + 1;
  return h[weekday as 1]?.close;
};

/** Working days in (from's local date, to's local date], counted day by day with isWorkingDay. */
function countWorkingDays(cal: Calendar, h: WeeklyHours, from: Date, to: Date): number {
  let count = 0;
  const end = localDate(to);
  for (let t = Date.parse(`${localDate(from)}T12:00:00Z`) + 86_400_000; ; t += 86_400_000) {
    const date = new Date(t).toISOString().slice(0, 10);
    if (date > end) return count;
    const weekday = ((new Date(t).getUTCDay() + 6) % 7) + 1;
    if (cal.isWorkingDay(date) && h[weekday as 1]) count++;
  }
}

describe('working-day properties', () => {
  it('every working-day result is a working day, at close of business, and exactly n working days on', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 40 }), hours, (cal, from, n, h) => {
        // Act
        const { due } = addWorkingDays(cal, from, n, h);

        // Assess
        expect(cal.isWorkingDay(localDate(due))).toBe(true);
        expect(clockOf(due)).toBe(closeOf(h, due));
        expect(countWorkingDays(cal, h, from, due)).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('results never go backwards as n grows', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 60 }), hours, (cal, from, n, h) => {
        // Act
        const pairs = [
          [addWorkingDays(cal, from, n, h), addWorkingDays(cal, from, n + 1, h)],
          [addWorkingHours(cal, from, n, h), addWorkingHours(cal, from, n + 1, h)],
          [addWeeks(cal, from, n, h), addWeeks(cal, from, n + 1, h)],
          [addMonths(cal, from, n, h), addMonths(cal, from, n + 1, h)],
        ];

        // Assess
        for (const [a, b] of pairs)
          expect(b?.due.getTime()).toBeGreaterThanOrEqual(a?.due.getTime() ?? Number.NaN);
        // From n = 1 on, each working day is a new day.
        if (n >= 1)
          expect(pairs[0]?.[1]?.due.getTime()).toBeGreaterThan(
            pairs[0]?.[0]?.due.getTime() ?? Number.NaN,
          );
      }),
      { numRuns: 300 },
    );
  });

  it('adding a then b working hours equals adding a + b', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 0, max: 6000 }),
        fc.integer({ min: 0, max: 6000 }),
        hours,
        (cal, from, aMinutes, bMinutes, h) => {
          // Act
          const first = addWorkingHours(cal, from, aMinutes / 60, h).due;
          const twoSteps = addWorkingHours(cal, first, bMinutes / 60, h).due;
          const oneStep = addWorkingHours(cal, from, (aMinutes + bMinutes) / 60, h).due;

          // Assess
          expect(twoSteps.toISOString()).toBe(oneStep.toISOString());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('n working hours later, exactly n hours of working time have passed, and the result is in or at the end of hours', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 1, max: 6000 }),
        hours,
        (cal, from, minutes, h) => {
          // Act
          const { due } = addWorkingHours(cal, from, minutes / 60, h);

          // Assess
          expect(workingMsBetween(cal, from, due, h)).toBe(minutes * 60_000);
          expect(isOpen(cal, new Date(due.getTime() - 1), h)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('a months or weeks result is never later than the unrolled date, and is a working day', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 0, max: 24 }), hours, (cal, from, n, h) => {
        // Prepare
        const [y, m, d] = localDate(from).split('-').map(Number) as [number, number, number];
        const lastDay = new Date(Date.UTC(y, m - 1 + n + 1, 0)).getUTCDate();
        const monthTarget = new Date(Date.UTC(y, m - 1 + n, Math.min(d, lastDay)))
          .toISOString()
          .slice(0, 10);
        const weekTarget = new Date(Date.UTC(y, m - 1, d + 7 * n)).toISOString().slice(0, 10);

        // Act
        const months = addMonths(cal, from, n, h).due;
        const weeks = addWeeks(cal, from, n, h).due;

        // Assess
        expect(localDate(months) <= monthTarget).toBe(true);
        expect(localDate(weeks) <= weekTarget).toBe(true);
        expect(cal.isWorkingDay(localDate(months))).toBe(true);
        expect(clockOf(weeks)).toBe(closeOf(h, weeks));
        // Preceding working day: nothing later that is still on or before the target works.
        expect(countWorkingDays(cal, h, months, new Date(`${monthTarget}T12:00:00Z`))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('working hours before', () => {
  it('leaves exactly n working hours until the due time, and is the latest instant that does', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: 1, max: 200 }), hours, (cal, due, n, h) => {
        const from = workingHoursBefore(cal, due, n, h);
        expect(workingMsBetween(cal, from, due, h)).toBe(n * HOUR);
        expect(workingMsBetween(cal, new Date(from.getTime() + 1), due, h)).toBeLessThan(n * HOUR);
      }),
    );
  });
});

describe('time properties', () => {
  it('n hours is exactly n × 3600 s of elapsed time, across clock changes too', () => {
    fc.assert(
      fc.property(calendar, instant, fc.integer({ min: -2000, max: 2000 }), (cal, from, n) => {
        // Act
        const { due } = addHours(cal, from, n);

        // Assess
        expect(due.getTime() - from.getTime()).toBe(n * HOUR);
      }),
    );
  });

  it('formatLocal and parseInstant round-trip every instant', () => {
    fc.assert(
      fc.property(instant, (t) => {
        // Act
        const text = formatLocal(t);

        // Assess
        expect(parseInstant(text).getTime()).toBe(t.getTime());
        expect(text).toMatch(/\+0[01]:00$/);
      }),
    );
  });

  it('nextOpening is open and never earlier than the instant', () => {
    fc.assert(
      fc.property(calendar, instant, hours, (cal, t, h) => {
        // Act
        const next = nextOpening(cal, t, h);

        // Assess
        expect(next.getTime()).toBeGreaterThanOrEqual(t.getTime());
        expect(isOpen(cal, next, h)).toBe(true);
        expect(workingMsBetween(cal, t, next, h)).toBe(0);
      }),
    );
  });

  it('atWorkingFraction uses that fraction of the working time', () => {
    fc.assert(
      fc.property(
        calendar,
        instant,
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 100 }),
        (cal, start, n, pct) => {
          // Prepare
          const due = addWorkingHours(cal, start, n).due;

          // Act
          const at = atWorkingFraction(cal, start, due, pct / 100);

          // Assess
          expect(workingMsBetween(cal, start, at)).toBe(Math.round((n * HOUR * pct) / 100));
          expect(at.getTime()).toBeLessThanOrEqual(due.getTime());
        },
      ),
    );
  });
});
