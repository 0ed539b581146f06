/**
 * `createCalendar`: one authority's working days (division holidays, closures) and hours,
 * laid out as a per-day table so that every lookup is an array read.
 */
import { dayFromCivil, isoDate, isoWeekday, parseIsoDate, WEEKDAYS } from './days.js';
import { CalendarRangeError, InvalidCalendarOptionsError, InvalidDateError } from './errors.js';
import { FIRST_YEAR, LAST_YEAR, SOURCE } from './generated/uk-bank-holidays.js';
import { type HolidayEntry, holidayYears } from './holidays.js';
import {
  type Calendar,
  type CalendarOptions,
  type DayHours,
  DIVISIONS,
  type Division,
  type Holiday,
  type WeeklyHours,
} from './types.js';

/** Mon–Fri 09:00–17:00 (docs/domain.md "Office hours"). */
export const DEFAULT_OFFICE_HOURS: WeeklyHours = Object.freeze({
  1: { open: '09:00', close: '17:00' },
  2: { open: '09:00', close: '17:00' },
  3: { open: '09:00', close: '17:00' },
  4: { open: '09:00', close: '17:00' },
  5: { open: '09:00', close: '17:00' },
});

/** Building Bridges workers: 08:30–17:00 Mon–Thu, 08:30–16:30 Fri (seed 004). */
export const BUILDING_BRIDGES_HOURS: WeeklyHours = Object.freeze({
  1: { open: '08:30', close: '17:00' },
  2: { open: '08:30', close: '17:00' },
  3: { open: '08:30', close: '17:00' },
  4: { open: '08:30', close: '17:00' },
  5: { open: '08:30', close: '16:30' },
});

export const DIVISION_NAMES: Record<Division, string> = {
  'england-and-wales': 'England and Wales',
  scotland: 'Scotland',
  'northern-ireland': 'Northern Ireland',
};

/** What a day is, in the calendar's table. */
export enum DayKind {
  Working = 0,
  Weekend = 1,
  Holiday = 2,
  Closure = 3,
}

/** What arithmetic needs from a calendar; kept off the public interface. */
export interface CalendarCore {
  /** Day number of the first and last day with known holidays. */
  first: number;
  last: number;
  kind(day: number): DayKind;
  /** The kind of every day from `first` to `last`. */
  kinds: Uint8Array;
  /** Why a day is not a working day, as an explanation's noun phrase. */
  describe(day: number): string;
  /** Arithmetic results per hours, cached here so they live as long as the calendar. */
  cache: Map<string, unknown>;
}

const cores = new WeakMap<Calendar, CalendarCore>();

const HHMM = /^(?:([01]\d|2[0-3]):([0-5]\d)|(24):(00))$/;

/** Minutes after local midnight of `HH:MM`; `24:00` is allowed as a closing time. */
export function minutesOf(text: string): number {
  const m = HHMM.exec(text);
  if (!m) throw new InvalidCalendarOptionsError(`Invalid time "${text}": expected HH:MM`);
  return Number(m[1] ?? m[3]) * 60 + Number(m[2] ?? m[4]);
}

/** Throws {@link InvalidCalendarOptionsError} unless every day has `open` before `close`. */
export function validateHours(hours: WeeklyHours, what: string): void {
  if (typeof hours !== 'object' || hours === null) {
    throw new InvalidCalendarOptionsError(`${what}: expected an object keyed by ISO weekday 1–7`);
  }
  for (const [key, value] of Object.entries(hours) as [string, DayHours | undefined][]) {
    if (!/^[1-7]$/.test(key))
      throw new InvalidCalendarOptionsError(`${what}: "${key}" is not an ISO weekday 1–7`);
    if (value === undefined) continue;
    if (minutesOf(value.open) >= minutesOf(value.close)) {
      throw new InvalidCalendarOptionsError(
        `${what}: ${WEEKDAYS[Number(key) - 1]} opens at ${value.open}, not before it closes at ${value.close}`,
      );
    }
  }
}

/** 64-bit FNV-1a as hex: a version that is stable across processes. */
function fingerprint(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

const canonicalHours = (hours: WeeklyHours): string =>
  ([1, 2, 3, 4, 5, 6, 7] as const)
    .map((d) => (hours[d] ? `${hours[d]?.open}-${hours[d]?.close}` : ''))
    .join(',');

class UkCalendar implements Calendar {
  readonly division: Division;
  readonly #kinds: Uint8Array;
  readonly #first: number;
  readonly #last: number;
  readonly #holidays: Map<number, HolidayEntry>;
  readonly #byYear: Map<number, HolidayEntry[]>;
  readonly #firstYear: number;
  readonly #lastYear: number;
  readonly #officeHours: WeeklyHours;
  readonly #teamHours: Record<string, WeeklyHours>;
  readonly #versionSource: () => string;
  #version: string | undefined;

  constructor(options: CalendarOptions) {
    if (!DIVISIONS.includes(options?.division)) {
      throw new InvalidCalendarOptionsError(
        `Unknown division "${options?.division}": expected one of ${DIVISIONS.join(', ')}`,
      );
    }
    this.division = options.division;
    this.#officeHours = options.officeHours ?? DEFAULT_OFFICE_HOURS;
    validateHours(this.#officeHours, 'officeHours');
    this.#teamHours = { ...(options.teamHours ?? {}) };
    for (const [team, hours] of Object.entries(this.#teamHours))
      validateHours(hours, `teamHours.${team}`);

    const { first, last, byYear } = holidayYears(this.division, options.feed);
    this.#firstYear = first;
    this.#lastYear = last;
    this.#byYear = byYear;
    this.#first = dayFromCivil(first, 1, 1);
    this.#last = dayFromCivil(last, 12, 31);
    const kinds = new Uint8Array(this.#last - this.#first + 1);
    for (let i = 6 - isoWeekday(this.#first); i < kinds.length; i += 7) {
      if (i >= 0) kinds[i] = DayKind.Weekend;
      if (i + 1 >= 0 && i + 1 < kinds.length) kinds[i + 1] = DayKind.Weekend;
    }
    this.#holidays = new Map();
    for (const list of byYear.values()) {
      for (const h of list) {
        this.#holidays.set(h.day, h);
        kinds[h.day - this.#first] = DayKind.Holiday;
      }
    }
    const closures = [...new Set(options.closures ?? [])].sort();
    for (const text of closures) {
      let day: number;
      try {
        day = parseIsoDate(text);
      } catch (err) {
        if (err instanceof InvalidDateError)
          throw new InvalidCalendarOptionsError(`closures: ${err.message}`, { cause: err });
        throw err;
      }
      if (day < this.#first || day > this.#last) {
        throw new InvalidCalendarOptionsError(
          `closures: ${text} is outside the years the calendar covers (${first}–${last})`,
        );
      }
      if (kinds[day - this.#first] === DayKind.Working) kinds[day - this.#first] = DayKind.Closure;
    }
    this.#kinds = kinds;
    this.#versionSource = () => {
      const parts = [SOURCE, this.division, canonicalHours(this.#officeHours), closures.join(',')];
      for (const team of Object.keys(this.#teamHours).sort())
        parts.push(`${team}=${canonicalHours(this.#teamHours[team] as WeeklyHours)}`);
      for (let y = first; y <= last; y++) {
        for (const h of byYear.get(y) ?? [])
          parts.push(`${h.day}:${h.name}:${h.substitute ? 1 : 0}`);
      }
      return parts.join('\n');
    };
    cores.set(this, {
      first: this.#first,
      last: this.#last,
      kind: (day) => this.#kindOf(day),
      kinds,
      describe: (day) => this.#describe(day),
      cache: new Map(),
    });
  }

  get version(): string {
    this.#version ??= `cal-${fingerprint(this.#versionSource())}`;
    return this.#version;
  }

  #kindOf(day: number): DayKind {
    if (day < this.#first || day > this.#last) {
      if (isoWeekday(day) > 5) return DayKind.Weekend;
      throw new CalendarRangeError(
        `No bank-holiday data for ${isoDate(day)}: the calendar covers ${this.#firstYear}–${this.#lastYear}; load a newer GOV.UK feed`,
      );
    }
    return this.#kinds[day - this.#first] as DayKind;
  }

  #describe(day: number): string {
    const weekday = WEEKDAYS[isoWeekday(day) - 1];
    switch (this.#kindOf(day)) {
      case DayKind.Working:
        return `${weekday}, a working day`;
      case DayKind.Weekend:
        return `${weekday}, weekend`;
      case DayKind.Holiday: {
        const h = this.#holidays.get(day) as HolidayEntry;
        return `${h.name}${h.substitute ? ' (substitute day)' : ''}, a bank holiday in ${DIVISION_NAMES[this.division]}`;
      }
      case DayKind.Closure:
        return `${weekday}, an authority closure day`;
    }
  }

  isWorkingDay(date: string): boolean {
    return this.#kindOf(parseIsoDate(date)) === DayKind.Working;
  }

  dayInfo(date: string): { workingDay: boolean; reason: string } {
    const day = parseIsoDate(date);
    return { workingDay: this.#kindOf(day) === DayKind.Working, reason: this.#describe(day) };
  }

  holidays(year: number): Holiday[] {
    if (!Number.isInteger(year) || year < this.#firstYear || year > this.#lastYear) {
      throw new CalendarRangeError(
        `No bank-holiday data for ${year}: the calendar covers ${this.#firstYear}–${this.#lastYear}`,
      );
    }
    return (this.#byYear.get(year) ?? []).map((h) => ({ date: isoDate(h.day), name: h.name }));
  }

  hoursFor(team?: string): WeeklyHours {
    return (
      (team !== undefined && Object.hasOwn(this.#teamHours, team)
        ? this.#teamHours[team]
        : undefined) ?? this.#officeHours
    );
  }
}

/**
 * Builds an authority's calendar. Cheap enough for a cold start: the holiday tables are decoded
 * once per process and the per-day table is a typed array.
 * @throws {InvalidCalendarOptionsError} for an unknown division, bad hours, closures or feed.
 */
export function createCalendar(options: CalendarOptions): Calendar {
  return new UkCalendar(options);
}

/**
 * The table behind a calendar. A calendar made elsewhere (a test double implementing
 * {@link Calendar}) is read once through its public methods.
 */
export function coreOf(cal: Calendar): CalendarCore {
  const known = cores.get(cal);
  if (known) return known;
  const first = dayFromCivil(FIRST_YEAR, 1, 1);
  const last = dayFromCivil(LAST_YEAR, 12, 31);
  const kinds = new Uint8Array(last - first + 1);
  for (let i = 0; i < kinds.length; i++) {
    const info = cal.dayInfo(isoDate(first + i));
    kinds[i] = info.workingDay
      ? DayKind.Working
      : isoWeekday(first + i) > 5
        ? DayKind.Weekend
        : DayKind.Holiday;
  }
  const core: CalendarCore = {
    first,
    last,
    kinds,
    kind: (day) => {
      if (day < first || day > last)
        throw new CalendarRangeError(`No calendar data for ${isoDate(day)}`);
      return kinds[day - first] as DayKind;
    },
    describe: (day) => cal.dayInfo(isoDate(day)).reason,
    cache: new Map(),
  };
  cores.set(cal, core);
  return core;
}
