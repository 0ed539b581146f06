/** The short sentences that make every result explain itself. */
import { DayKind } from './calendar.js';
import { DAY_MS, humanDate, isoWeekday } from './days.js';
import { clockChangesBetween, describeClockChange, localClock, offsetAt } from './london.js';
import type { Schedule } from './schedule.js';

const MAX_WEEKENDS_LISTED = 3;
const MAX_DAYS_LISTED = 10;

export const plural = (n: number, unit: string): string => `${n} ${unit}${n === 1 ? '' : 's'}`;

/** "15:00 on Friday 27 March 2026". */
export function humanInstant(ms: number): string {
  return `${localClock(ms)} on ${humanDate(Math.floor((ms + offsetAt(ms)) / DAY_MS))}`;
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
