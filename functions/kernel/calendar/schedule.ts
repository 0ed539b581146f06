/**
 * A calendar seen through one set of hours: which days open, when, and prefix sums of working
 * days and working milliseconds, so that "the Nth working day" and "the instant N working hours
 * later" are an index read and a binary search rather than a walk through the days.
 */
import { type CalendarCore, coreOf, DayKind, minutesOf, validateHours } from './calendar.js';
import { DAY_MS, isoDate, isoWeekday } from './days.js';
import { CalendarRangeError } from './errors.js';
import { localDay, localToUtc } from './london.js';
import type { Calendar, WeeklyHours } from './types.js';

export interface Schedule {
  core: CalendarCore;
  hours: WeeklyHours;
  /** Day number of index 0. */
  first: number;
  /** Opening and closing minute per ISO weekday (index 1–7); -1 when closed. */
  open: Int16Array;
  close: Int16Array;
  /** 1 when the day is a working day with hours. */
  work: Uint8Array;
  /** Working days before each index (length days + 1). */
  daysBefore: Int32Array;
  /** Index of each working day, in order. */
  workDays: Int32Array;
  /** Working milliseconds before each working day (length workDays + 1). */
  msBefore: Float64Array;
}

const byObject = new WeakMap<CalendarCore, WeakMap<WeeklyHours, Schedule>>();

const keyOf = (hours: WeeklyHours): string =>
  ([1, 2, 3, 4, 5, 6, 7] as const)
    .map((d) => (hours[d] ? `${hours[d]?.open}-${hours[d]?.close}` : ''))
    .join(',');

/** The schedule of `cal` with `hours` (default: its office hours); built once and cached. */
export function scheduleOf(cal: Calendar, hours?: WeeklyHours): Schedule {
  // Callers repeat the same calendar and hours in loops: remember the last answer.
  if (cal === last.cal && hours === last.hours && last.schedule) return last.schedule;
  const schedule = lookUp(cal, hours);
  last.cal = cal;
  last.hours = hours;
  last.schedule = schedule;
  return schedule;
}

const last: { cal?: Calendar; hours?: WeeklyHours; schedule?: Schedule } = {};

function lookUp(cal: Calendar, hours?: WeeklyHours): Schedule {
  const core = coreOf(cal);
  const h = hours ?? cal.hoursFor();
  let objects = byObject.get(core);
  if (!objects) {
    objects = new WeakMap();
    byObject.set(core, objects);
  }
  let schedule = objects.get(h);
  if (schedule) return schedule;
  const key = `schedule:${keyOf(h)}`;
  schedule = core.cache.get(key) as Schedule | undefined;
  if (!schedule) {
    schedule = build(core, h);
    core.cache.set(key, schedule);
  }
  objects.set(h, schedule);
  return schedule;
}

function build(core: CalendarCore, hours: WeeklyHours): Schedule {
  validateHours(hours, 'hours');
  const open = new Int16Array(8).fill(-1);
  const close = new Int16Array(8).fill(-1);
  for (const d of [1, 2, 3, 4, 5, 6, 7] as const) {
    const day = hours[d];
    if (day) {
      open[d] = minutesOf(day.open);
      close[d] = minutesOf(day.close);
    }
  }
  const n = core.last - core.first + 1;
  const kinds = core.kinds;
  const work = new Uint8Array(n);
  const daysBefore = new Int32Array(n + 1);
  let count = 0;
  let weekday = isoWeekday(core.first);
  for (let i = 0; i < n; i++) {
    daysBefore[i] = count;
    // docs/domain.md: working days are Mon–Fri; hours set times on them and may close some.
    if (kinds[i] === DayKind.Working && (open[weekday] as number) >= 0) {
      work[i] = 1;
      count++;
    }
    weekday = weekday === 7 ? 1 : weekday + 1;
  }
  daysBefore[n] = count;
  const workDays = new Int32Array(count);
  const msBefore = new Float64Array(count + 1);
  const s: Schedule = {
    core,
    hours,
    first: core.first,
    open,
    close,
    work,
    daysBefore,
    workDays,
    msBefore,
  };
  let k = 0;
  let ms = 0;
  for (let i = 0; i < n; i++) {
    if (!work[i]) continue;
    workDays[k] = i;
    msBefore[k] = ms;
    const wd = isoWeekday(core.first + i);
    // Clocks change only on Sundays, so a weekday's hours are as long as they read.
    ms +=
      wd === 7
        ? closeAt(s, i) - openAt(s, i)
        : ((close[wd] as number) - (open[wd] as number)) * 60_000;
    k++;
  }
  msBefore[count] = ms;
  return s;
}

/** UTC milliseconds of the opening of day index `i`. */
export function openAt(s: Schedule, i: number): number {
  const day = s.first + i;
  return localToUtc(day * DAY_MS + (s.open[isoWeekday(day)] as number) * 60_000);
}

/** UTC milliseconds of the close of business of day index `i`. */
export function closeAt(s: Schedule, i: number): number {
  const day = s.first + i;
  return localToUtc(day * DAY_MS + (s.close[isoWeekday(day)] as number) * 60_000);
}

/** Index of a day number, or a {@link CalendarRangeError} outside the data. */
export function indexOfDay(s: Schedule, day: number): number {
  const i = day - s.first;
  if (i < 0 || i >= s.work.length) {
    throw new CalendarRangeError(
      `No bank-holiday data for ${isoDate(day)}; the calendar covers ${isoDate(s.core.first)} to ${isoDate(s.core.last)}`,
    );
  }
  return i;
}

/** Index of the k-th working day (0-based), or a range error past the data. */
export function workDay(s: Schedule, k: number): number {
  if (k < 0 || k >= s.workDays.length) {
    throw new CalendarRangeError(
      `The result falls outside the years the calendar covers (${isoDate(s.core.first)} to ${isoDate(s.core.last)})`,
    );
  }
  return s.workDays[k] as number;
}

/** Working milliseconds from the start of the data to instant `t`. */
export function workedBy(s: Schedule, t: number): number {
  const i = indexOfDay(s, localDay(t));
  const before = s.msBefore[s.daysBefore[i] as number] as number;
  if (!s.work[i]) return before;
  const open = openAt(s, i);
  const close = closeAt(s, i);
  return before + (t <= open ? 0 : t >= close ? close - open : t - open);
}

/** The earliest instant by which `worked` working milliseconds have passed (worked > 0). */
export function instantWhenWorked(s: Schedule, worked: number): number {
  const ms = s.msBefore;
  let lo = 1;
  let hi = ms.length - 1;
  if (!(worked <= (ms[hi] as number))) workDay(s, s.workDays.length);
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((ms[mid] as number) >= worked) hi = mid;
    else lo = mid + 1;
  }
  const k = lo - 1;
  return openAt(s, s.workDays[k] as number) + (worked - (ms[k] as number));
}
