/**
 * Bank holidays per division and year: the generated tables, replaced year by year by an
 * operator's GOV.UK feed where one is loaded.
 */
import { dayFromCivil, parseIsoDate } from './days.js';
import { InvalidCalendarOptionsError, InvalidDateError } from './errors.js';
import { FIRST_YEAR, LAST_YEAR, NAMES, TABLES } from './generated/uk-bank-holidays.js';
import type { Division, GovUkFeed } from './types.js';

export interface HolidayEntry {
  /** Day number (days since 1970-01-01). */
  day: number;
  /** GOV.UK's title. */
  name: string;
  substitute: boolean;
}

export interface HolidayYears {
  first: number;
  last: number;
  byYear: Map<number, HolidayEntry[]>;
}

const decoded = new Map<Division, Map<number, HolidayEntry[]>>();

function decode(division: Division): Map<number, HolidayEntry[]> {
  let years = decoded.get(division);
  if (years) return years;
  years = new Map();
  const groups = TABLES[division].split('|');
  for (let i = 0; i < groups.length; i++) {
    const year = FIRST_YEAR + i;
    const group = groups[i] as string;
    const entries: HolidayEntry[] = [];
    for (let j = 0; j + 6 <= group.length; j += 6) {
      entries.push({
        day: dayFromCivil(year, Number(group.slice(j, j + 2)), Number(group.slice(j + 2, j + 4))),
        name: NAMES[Number.parseInt(group.charAt(j + 4), 36)] as string,
        substitute: group.charAt(j + 5) === 's',
      });
    }
    years.set(year, entries);
  }
  decoded.set(division, years);
  return years;
}

/**
 * The holidays a calendar uses: the generated tables, with every year the feed lists for the
 * division replaced by the feed's events for that year (so a proclamation in a newer feed wins).
 */
export function holidayYears(division: Division, feed: GovUkFeed | undefined): HolidayYears {
  const byYear = new Map(decode(division));
  let first = FIRST_YEAR;
  let last = LAST_YEAR;
  if (feed) {
    const events = feed[division]?.events;
    if (!Array.isArray(events) || events.length === 0) {
      throw new InvalidCalendarOptionsError(`The bank-holidays feed has no events for ${division}`);
    }
    const fromFeed = new Map<number, HolidayEntry[]>();
    for (const event of events) {
      if (typeof event?.title !== 'string' || event.title.trim() === '') {
        throw new InvalidCalendarOptionsError(
          `A ${division} feed event has no title: ${JSON.stringify(event)}`,
        );
      }
      let day: number;
      try {
        day = parseIsoDate(String(event.date));
      } catch (err) {
        if (err instanceof InvalidDateError) {
          throw new InvalidCalendarOptionsError(`Feed event "${event.title}": ${err.message}`, {
            cause: err,
          });
        }
        throw err;
      }
      const year = Number(String(event.date).slice(0, 4));
      const list = fromFeed.get(year) ?? [];
      list.push({
        day,
        name: event.title,
        substitute: /substitute/i.test(String(event.notes ?? '')),
      });
      fromFeed.set(year, list);
      first = Math.min(first, year);
      last = Math.max(last, year);
    }
    for (const [year, list] of fromFeed)
      byYear.set(
        year,
        list.sort((a, b) => a.day - b.day),
      );
  }
  return { first, last, byYear };
}
