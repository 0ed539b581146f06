/** The short sentences that make every result explain itself. */
import { DayKind } from './calendar.js';
import { DAY_MS, humanDate, isoWeekday } from './days.js';
import {
  clockChangesBetween,
  describeClockChange,
  localClock,
  localDay,
  offsetAt,
  zoneAt,
} from './london.js';
import type { Schedule } from './schedule.js';

const MAX_WEEKENDS_LISTED = 3;
const MAX_DAYS_LISTED = 10;

export const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** The words of every unit a clock or an explanation counts in: singular, then plural. */
export const UNIT_WORDS = {
  hours: ['hour', 'hours'],
  'working-hours': ['working hour', 'working hours'],
  'working-days': ['working day', 'working days'],
  days: ['day', 'days'],
  weeks: ['week', 'weeks'],
  months: ['month', 'months'],
} as const satisfies Record<string, readonly [string, string]>;
export type UnitName = keyof typeof UNIT_WORDS;

/** "1 working day", "2 working days", "1 week", "3 months": a count with its unit, in words. */
export function quantity(n: number, unit: UnitName): string {
  const [one, many] = UNIT_WORDS[unit];
  return `${n} ${n === 1 ? one : many}`;
}

/** "Friday 24 May 2030, 17:30 (BST)": how explanations and pages write an instant. */
export function humanInstant(ms: number): string {
  return `${humanDate(Math.floor((ms + offsetAt(ms)) / DAY_MS))}, ${localClock(ms)} (${zoneAt(ms)})`;
}

/** "the end of Saturday 25 May 2030": a limit that falls at a London midnight. */
export function endOfDayBefore(ms: number): string {
  return `the end of ${humanDate(localDay(ms) - 1)}`;
}

/** "the weekend of Saturday 28 and Sunday 29 March 2026". */
function weekendPhrase(days: number[]): string {
  const [a, b] = days as [number, number | undefined];
  if (b === undefined) return `${humanDate(a)} (weekend)`;
  const [sat, sun] = [humanDate(a).split(' '), humanDate(b).split(' ')];
  return sat[2] === sun[2] && sat[3] === sun[3]
    ? `the weekend of Saturday ${sat[1]} and Sunday ${sun.slice(1).join(' ')}`
    : `the weekend of ${humanDate(a)} and ${humanDate(b)}`;
}

/**
 * Sentences, in date order, for the days from `fromDay` to `toDay` (inclusive) that did not
 * count: weekends grouped (or counted when there are many), bank holidays and closures by name,
 * weekdays the hours leave closed.
 */
export function skippedDays(
  s: Schedule,
  fromDay: number,
  toDay: number,
  verb = 'Skipped',
): string[] {
  const items: (number[] | string)[] = [];
  let weekends = 0;
  let others = 0;
  for (let day = fromDay; day <= toDay; day++) {
    if (s.work[day - s.first]) continue;
    const kind = s.core.kind(day);
    if (kind === DayKind.Weekend) {
      const last = items.at(-1);
      if (Array.isArray(last) && last.at(-1) === day - 1 && isoWeekday(day) === 7) last.push(day);
      else {
        items.push([day]);
        weekends++;
      }
      continue;
    }
    if (++others > MAX_DAYS_LISTED) continue;
    if (kind === DayKind.Holiday) items.push(`${verb} ${humanDate(day)}: ${s.core.describe(day)}.`);
    else if (kind === DayKind.Closure)
      items.push(`${verb} ${humanDate(day)}: an authority closure day.`);
    else items.push(`${verb} ${humanDate(day)}: no working hours that day.`);
  }
  const many = weekends > MAX_WEEKENDS_LISTED;
  const out = many ? [`${verb} ${plural(weekends, 'weekend')}.`] : [];
  for (const item of items) {
    if (typeof item === 'string') out.push(item);
    else if (!many) out.push(`${verb} ${weekendPhrase(item)}.`);
  }
  if (others > MAX_DAYS_LISTED)
    out.push(`${verb} ${others - MAX_DAYS_LISTED} more non-working days.`);
  return out;
}

/** One sentence per clock change between two instants, or a count when there are many. */
export function clockChanges(from: number, to: number): string[] {
  const changes = clockChangesBetween(Math.min(from, to), Math.max(from, to));
  if (changes.length > 2) return [`Crossed ${changes.length} clock changes.`];
  return changes.map(describeClockChange);
}
