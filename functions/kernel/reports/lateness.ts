/**
 * How late a clock was met after its statutory limit, on the clock's own kind of time: elapsed
 * hours for an hours clock, office hours for a working-hours clock, working days for every
 * clock counted by date (working days, weeks, months and stage ladders). Worked out once,
 * by the engine, when the late stop arrives, and kept on the deadline, so the compliance
 * report and the per-deadline CSV read the same number forever (a later bank-holiday feed
 * does not rewrite history).
 */

import { isoDate, isoWeekday } from '../calendar/days.js';
import { type Calendar, type WeeklyHours, workingMsBetween } from '../calendar/index.js';
import { HOUR_MS, localDay } from '../calendar/london.js';
import type { ClockUnit } from '../rules/index.js';

export const LATENESS_UNITS = ['hours', 'working-hours', 'working-days'] as const;
export type LatenessUnit = (typeof LATENESS_UNITS)[number];

/** Whole units late, at least 1 (a clock met late is late by something). */
export interface Lateness {
  amount: number;
  unit: LatenessUnit;
}

/**
 * Lateness is counted up to this many units; anything later is recorded as this value (a
 * clock met more than 1,000 working days, or 1,000 hours, late). The report's quantiles
 * say "1,000 or more" then.
 */
export const LATENESS_CAP = 1000;

/** The unit a rule's lateness is measured in, from its clock. */
export function latenessUnitOf(clock: ClockUnit | undefined): LatenessUnit {
  switch (clock) {
    case 'hours':
      return 'hours';
    case 'working-hours':
      return 'working-hours';
    default:
      return 'working-days';
  }
}

/**
 * How late `metAt` is after the statutory limit `limitAt` (`metAt` > `limitAt`), rounded up to
 * whole units:
 * - hours: elapsed hours (a DST change does not stretch them), 30 minutes late is 1;
 * - working-hours: office time between the two (team hours when given), at least 1;
 * - working-days: the working days after the limit's date (the day that ends at `limitAt`) up
 *   to the date of `metAt`, or the first working day after it when that date is not one — by
 *   date, as the limit is: met at 19:00 counts that day; met at the weekend after a Friday
 *   limit counts the Monday — at least 1.
 */
export function latenessOf(
  calendar: Calendar,
  unit: LatenessUnit,
  limitAt: Date,
  metAt: Date,
  hours?: WeeklyHours,
): Lateness {
  const elapsed = metAt.getTime() - limitAt.getTime();
  let amount: number;
  switch (unit) {
    case 'hours':
      amount = Math.ceil(elapsed / HOUR_MS);
      break;
    case 'working-hours':
      amount = Math.ceil(workingMsBetween(calendar, limitAt, metAt, hours) / HOUR_MS);
      break;
    case 'working-days':
      amount = workingDaysAfter(calendar, limitAt, metAt, hours);
      break;
  }
  return { amount: Math.min(LATENESS_CAP, Math.max(1, amount)), unit };
}

function workingDaysAfter(
  calendar: Calendar,
  limitAt: Date,
  metAt: Date,
  hours?: WeeklyHours,
): number {
  const week = hours ?? calendar.hoursFor();
  // A limit at a London midnight ends the day before it; an older target (close of business)
  // falls on its own day.
  const from = localDay(limitAt.getTime() - 1);
  // Counted by date, as the limit is: met at 19:00 counts that day; met on a day that is not
  // a working day counts the next working day.
  const metDay = localDay(metAt.getTime());
  let count = 0;
  for (let day = from + 1; count < LATENESS_CAP; day++) {
    const weekday = isoWeekday(day) as keyof WeeklyHours;
    const counts = week[weekday] !== undefined && calendar.isWorkingDay(isoDate(day));
    if (counts) count++;
    if (counts && day >= metDay) break;
  }
  return count;
}
