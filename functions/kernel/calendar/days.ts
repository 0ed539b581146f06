/**
 * Civil-date arithmetic on "day numbers" (days since 1970-01-01), with no time zone and no
 * `Date` allocation: the hot paths of the calendar run on integers.
 */
import { InvalidDateError } from './errors.js';

export const DAY_MS = 86_400_000;

/** Day number of a proleptic Gregorian date (month 1–12); Hinnant's days_from_civil. */
export function dayFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

export interface Civil {
  year: number;
  month: number;
  day: number;
}

/** Inverse of {@link dayFromCivil}. */
export function civilFromDay(dayNumber: number): Civil {
  const z = dayNumber + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yoe + era * 400 + (month <= 2 ? 1 : 0), month, day };
}

/** ISO weekday, 1 = Monday … 7 = Sunday (1970-01-01 was a Thursday). */
export function isoWeekday(dayNumber: number): number {
  return ((((dayNumber + 3) % 7) + 7) % 7) + 1;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/** `YYYY-MM-DD` of a day number. */
/**
 * The day `m` months after `dayNumber`: the same day of the month, clamped to the month's last
 * day (31 August + 3 months = 30 November). `clampedFrom` is the day that did not exist.
 */
export function addCalendarMonths(
  dayNumber: number,
  m: number,
): { day: number; clampedFrom?: number } {
  const { year, month, day } = civilFromDay(dayNumber);
  const months = year * 12 + (month - 1) + m;
  const toYear = Math.floor(months / 12);
  const toMonth = (months % 12) + 1;
  const last = daysInMonth(toYear, toMonth);
  return {
    day: dayFromCivil(toYear, toMonth, Math.min(day, last)),
    ...(day > last ? { clampedFrom: day } : {}),
  };
}

/** `YYYY-MM-DD` `m` months after `date` (see {@link addCalendarMonths}). */
export function addMonthsToDate(date: string, m: number): string {
  return isoDate(addCalendarMonths(parseIsoDate(date), m).day);
}

export function isoDate(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Day number of a strict `YYYY-MM-DD`; throws {@link InvalidDateError} for 2026-02-30 and the like. */
export function parseIsoDate(text: string): number {
  const m = DATE_RE.exec(text);
  if (!m) throw new InvalidDateError(`Invalid date "${text}": expected YYYY-MM-DD`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12)
    throw new InvalidDateError(`Invalid date "${text}": no month ${month}`);
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new InvalidDateError(
      `Invalid date "${text}": ${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days`,
    );
  }
  return dayFromCivil(year, month, day);
}

export const WEEKDAYS = [
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
  'Sunday',
];
export const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "Monday 30 March 2026": how explanations name a day. */
export function humanDate(dayNumber: number): string {
  const { year, month, day } = civilFromDay(dayNumber);
  return `${WEEKDAYS[isoWeekday(dayNumber) - 1]} ${day} ${MONTHS[month - 1]} ${year}`;
}
