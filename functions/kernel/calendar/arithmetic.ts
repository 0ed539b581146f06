/**
 * Working-time arithmetic with docs/domain.md's exact semantics. Every function is pure: the
 * calendar, the instant and the hours are arguments. Results carry an explanation that is
 * built only when read, so the arithmetic stays fast.
 */
import { addCalendarMonths, civilFromDay, humanDate, MONTHS } from './days.js';
import { CalendarRangeError } from './errors.js';
import { clockChanges, endOfDayBefore, humanInstant, plural, skippedDays } from './explain.js';
import { HOUR_MS, localClock, localDay, localMidnight, zoneAt } from './london.js';
import {
  closeAt,
  indexOfDay,
  instantWhenWorked,
  openAt,
  type Schedule,
  scheduleOf,
  workDay,
  workedBy,
} from './schedule.js';
import type { Calendar, Due, WeeklyHours } from './types.js';

/**
 * A {@link Due} whose explanation is built on first read: building the sentences costs far more
 * than the arithmetic, and most callers in a hot loop never read them. `explain` is a getter,
 * so read it (or JSON-serialise the result) rather than spreading the object.
 */
class LazyDue implements Due {
  readonly due: Date;
  readonly limit: Date;
  #build: (() => string[]) | undefined;
  #explain: string[] | undefined;

  constructor(ms: number, limitMs: number, build: () => string[]) {
    this.due = new Date(ms);
    this.limit = new Date(limitMs);
    this.#build = build;
  }

  get explain(): string[] {
    if (this.#explain === undefined) {
      this.#explain = (this.#build as () => string[])();
      this.#build = undefined;
    }
    return this.#explain;
  }

  toJSON(): { due: Date; limit: Date; explain: string[] } {
    return { due: this.due, limit: this.limit, explain: this.explain };
  }
}

/** A clock counted in hours: one instant, both target and limit. */
const makeDue = (ms: number, build: () => string[]): Due => new LazyDue(ms, ms, build);

/** A clock counted in days, weeks or months: the target, and the limit at the end of `limitDay`. */
const makeDayDue = (ms: number, limitDay: number, build: () => string[]): Due =>
  new LazyDue(ms, localMidnight(limitDay + 1), build);

/** The sentence every day-counted explanation ends with: when the limit passes. */
const limitSentence = (limitDay: number): string =>
  `Limit: ${endOfDayBefore(localMidnight(limitDay + 1))}; met by then is on time.`;

/** The target's sentence: close of business on `day`, in London time with its zone. */
const targetSentence = (due: number, day: number): string =>
  `Due at close of business on ${humanDate(day)}, ${localClock(due)} (${zoneAt(due)}): the working target reminders are planned around.`;

function wholeCount(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 0)
    throw new CalendarRangeError(`${what} must be a whole number ≥ 0, got ${n}`);
}

function amount(n: number, what: string): number {
  if (!Number.isFinite(n) || n < 0)
    throw new CalendarRangeError(`${what} must be a finite number ≥ 0, got ${n}`);
  return Math.round(n * HOUR_MS);
}

function instant(at: Date, what: string): number {
  const ms = at instanceof Date ? at.getTime() : Number.NaN;
  if (Number.isNaN(ms)) throw new CalendarRangeError(`${what} is not a valid Date`);
  return ms;
}

/**
 * `n` hours of elapsed time after `from` (docs/domain.md "N hours after t"): exactly n × 3600 s,
 * so a clock change moves the local time shown, not the instant.
 */
export function addHours(cal: Calendar, from: Date, n: number): Due {
  void cal;
  if (!Number.isFinite(n)) throw new CalendarRangeError(`hours must be a finite number, got ${n}`);
  const start = instant(from, 'from');
  const due = start + Math.round(n * HOUR_MS);
  return makeDue(due, () => [
    `Counted ${plural(n, 'hour')} of elapsed time from ${humanInstant(start)}; nights, weekends and holidays count.`,
    ...clockChanges(start, due).map((s) => `${s} Elapsed time is not stretched by it.`),
    `Due on ${humanInstant(due)}; a clock counted in hours has one instant, so that is also the limit.`,
  ]);
}

/**
 * The instant at which `n` hours of office time have passed since `from` (docs/domain.md "N working
 * hours after t"). Time outside the hours does not count; from outside them, the clock starts at
 * the next opening. A result may be exactly a closing time. `n = 0` gives `from`.
 */
export function addWorkingHours(cal: Calendar, from: Date, n: number, hours?: WeeklyHours): Due {
  const add = amount(n, 'working hours');
  const s = scheduleOf(cal, hours);
  const start = instant(from, 'from');
  if (add === 0) return makeDue(start, () => ['No working hours to add: due at once.']);
  const due = instantWhenWorked(s, workedBy(s, start) + add);
  return makeDue(due, () => {
    const out = [`Counted ${plural(n, 'working hour')} from ${humanInstant(start)}.`];
    const opening = nextOpeningMs(s, start);
    if (opening !== start) {
      out.push(
        `That is outside working hours, so the clock started at the next opening, ${humanInstant(opening)}.`,
      );
    }
    out.push(...skippedDays(s, localDay(opening) + 1, localDay(due) - 1));
    out.push(
      ...clockChanges(start, due),
      `Due on ${humanInstant(due)}; a clock counted in hours has one instant, so that is also the limit.`,
    );
    return out;
  });
}

/**
 * Close of business on the `n`th working day strictly after `from`'s local date (docs/domain.md "N
 * working days after t"). `n = 0` gives close of business on the first working day on or after
 * that date.
 */
export function addWorkingDays(cal: Calendar, from: Date, n: number, hours?: WeeklyHours): Due {
  wholeCount(n, 'working days');
  const s = scheduleOf(cal, hours);
  const start = instant(from, 'from');
  const i = indexOfDay(s, localDay(start));
  const target = workDay(s, (s.daysBefore[n === 0 ? i : i + 1] as number) + Math.max(n - 1, 0));
  const due = closeAt(s, target);
  const targetDay = s.first + target;
  return makeDayDue(due, targetDay, () => {
    const startDay = s.first + i;
    return [
      n === 0
        ? `No working days to add: due at close of business on the first working day from ${humanDate(startDay)}.`
        : `Counted ${plural(n, 'working day')} after ${humanDate(startDay)}, the day it started.`,
      ...skippedDays(s, n === 0 ? startDay : startDay + 1, targetDay - 1),
      ...clockChanges(start, due),
      targetSentence(due, targetDay),
      limitSentence(targetDay),
    ];
  });
}

/**
 * The limit at the end of `day`, whether or not it is a working day; the target at close of
 * business on it, or on the preceding working day when `day` is not one.
 */
function rollBack(s: Schedule, start: number, day: number, lead: string): Due {
  const j = indexOfDay(s, day);
  const result = s.work[j] ? j : workDay(s, (s.daysBefore[j] as number) - 1);
  const due = closeAt(s, result);
  return makeDayDue(due, day, () => {
    const resultDay = s.first + result;
    const out = [lead];
    if (resultDay !== day) {
      out.push(
        `${humanDate(day)} is not a working day, so the working target rolls back to the preceding working day (reminders come before the limit, not after it).`,
        ...skippedDays(s, resultDay + 1, day, 'Passed over'),
      );
    }
    out.push(...clockChanges(start, due), targetSentence(due, resultDay), limitSentence(day));
    return out;
  });
}

/**
 * `w` weeks after `from`'s local date, at close of business; the preceding working day when
 * that date is not a working day (docs/domain.md "W weeks after d"). The limit is the end of
 * that date. `beginningWith`: a period of `w` weeks beginning with the start's own day (the
 * Children Act 1989 s32 counting), which ends the day before: issued on a Tuesday, the last day
 * is the Monday `w` weeks on.
 */
export function addWeeks(
  cal: Calendar,
  from: Date,
  w: number,
  hours?: WeeklyHours,
  beginningWith = false,
): Due {
  wholeCount(w, 'weeks');
  const s = scheduleOf(cal, hours);
  const start = instant(from, 'from');
  const day = localDay(start);
  const target = day + 7 * w - (beginningWith && w > 0 ? 1 : 0);
  return rollBack(
    s,
    start,
    target,
    beginningWith
      ? `${plural(w, 'week')} beginning with ${humanDate(day)} ${w === 1 ? 'ends' : 'end'} on ${humanDate(target)}.`
      : `${plural(w, 'week')} after ${humanDate(day)} is ${humanDate(target)}.`,
  );
}

/**
 * The same day of the month `m` months after `from`'s local date, clamped to the month's last
 * day, at close of business; the preceding working day when that is not a working day
 * (docs/domain.md "M months after d").
 */
export function addMonths(cal: Calendar, from: Date, m: number, hours?: WeeklyHours): Due {
  wholeCount(m, 'months');
  const s = scheduleOf(cal, hours);
  const start = instant(from, 'from');
  const startDay = localDay(start);
  const { day: target, clampedFrom } = addCalendarMonths(startDay, m);
  const { year: toYear, month: toMonth } = civilFromDay(target);
  const clamp =
    clampedFrom !== undefined
      ? ` (${MONTHS[toMonth - 1]} ${toYear} has no day ${clampedFrom}, so the month's last day)`
      : '';
  return rollBack(
    s,
    start,
    target,
    `${plural(m, 'month')} after ${humanDate(startDay)} is ${humanDate(target)}${clamp}.`,
  );
}

/**
 * Working milliseconds between two instants (negative when `b` is before `a`): the basis of
 * "75% of the time used" reminders.
 */
export function workingMsBetween(cal: Calendar, a: Date, b: Date, hours?: WeeklyHours): number {
  const s = scheduleOf(cal, hours);
  return workedBy(s, instant(b, 'b')) - workedBy(s, instant(a, 'a'));
}

/**
 * The earliest instant at which `fraction` (0–1) of the working time between `start` and `due`
 * has passed; `fraction = 0` gives `start`.
 */
export function atWorkingFraction(
  cal: Calendar,
  start: Date,
  due: Date,
  fraction: number,
  hours?: WeeklyHours,
): Date {
  if (!(fraction >= 0 && fraction <= 1))
    throw new CalendarRangeError(`fraction must be between 0 and 1, got ${fraction}`);
  const s = scheduleOf(cal, hours);
  const a = instant(start, 'start');
  const from = workedBy(s, a);
  const total = workedBy(s, instant(due, 'due')) - from;
  const worked = Math.round(fraction * Math.max(total, 0));
  return new Date(worked === 0 ? a : instantWhenWorked(s, from + worked));
}

/**
 * Opening time of the `n`th working day before `at`'s local date; `n = 0` gives that date's
 * opening if it is a working day, else the preceding working day's.
 */
export function workingDaysBefore(cal: Calendar, at: Date, n: number, hours?: WeeklyHours): Date {
  wholeCount(n, 'working days');
  const s = scheduleOf(cal, hours);
  const i = indexOfDay(s, localDay(instant(at, 'at')));
  const k =
    n === 0 && s.work[i]
      ? (s.daysBefore[i] as number)
      : (s.daysBefore[i] as number) - Math.max(n, 1);
  return new Date(openAt(s, workDay(s, k)));
}

/**
 * The latest instant from which `n` hours of working time (team or office hours) remain until
 * `at` ("24 working hours before the due time"). Time outside the hours does not count, so
 * when the answer would fall at a close of business it is the next opening instead: from
 * then on exactly `n` working hours remain.
 */
export function workingHoursBefore(cal: Calendar, at: Date, n: number, hours?: WeeklyHours): Date {
  const span = amount(n, 'working hours');
  const s = scheduleOf(cal, hours);
  const target = workedBy(s, instant(at, 'at')) - span;
  if (target <= 0) workDay(s, -1);
  return new Date(nextOpeningMs(s, instantWhenWorked(s, target)));
}

/** The opening time on a local date (`YYYY-MM-DD`), or the next opening after it. */
export function openingOn(cal: Calendar, date: string, hours?: WeeklyHours): Date {
  // UTC midnight is 00:00 or 01:00 in London: before any opening on that date.
  return nextOpening(cal, new Date(`${date}T00:00:00Z`), hours);
}

/** Whether `at` is inside the hours (team or office) of a working day. */
export function isOpen(cal: Calendar, at: Date, hours?: WeeklyHours): boolean {
  const s = scheduleOf(cal, hours);
  const t = instant(at, 'at');
  const i = indexOfDay(s, localDay(t));
  return s.work[i] === 1 && t >= openAt(s, i) && t < closeAt(s, i);
}

function nextOpeningMs(s: Schedule, t: number): number {
  const i = indexOfDay(s, localDay(t));
  if (s.work[i]) {
    const open = openAt(s, i);
    if (t < open) return open;
    if (t < closeAt(s, i)) return t;
  }
  return openAt(s, workDay(s, s.daysBefore[i + 1] as number));
}

/** `at` itself when open, else the next opening of the hours (team or office). */
export function nextOpening(cal: Calendar, at: Date, hours?: WeeklyHours): Date {
  const t = instant(at, 'at');
  const next = nextOpeningMs(scheduleOf(cal, hours), t);
  return next === t ? at : new Date(next);
}
