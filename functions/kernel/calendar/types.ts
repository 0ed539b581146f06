/** The GOV.UK bank-holidays divisions: the one list every schema and check uses. */
export const DIVISIONS = ['england-and-wales', 'scotland', 'northern-ireland'] as const;

/** A GOV.UK bank-holidays division. */
export type Division = (typeof DIVISIONS)[number];

/** Opening hours of one weekday, `HH:MM` local time, `open` before `close`. */
export interface DayHours {
  open: string;
  close: string;
}

/** Hours per ISO weekday (1 = Monday … 7 = Sunday); an absent day is closed. */
export type WeeklyHours = Partial<Record<1 | 2 | 3 | 4 | 5 | 6 | 7, DayHours>>;

/** One event of GOV.UK's bank-holidays.json. */
export interface GovUkEvent {
  title: string;
  date: string;
  notes: string;
  bunting: boolean;
}

/** GOV.UK's bank-holidays.json (https://www.gov.uk/bank-holidays.json), as published. */
export type GovUkFeed = Partial<Record<Division, { division: string; events: GovUkEvent[] }>>;

export interface CalendarOptions {
  division: Division;
  /** `YYYY-MM-DD` days the authority is closed. */
  closures?: string[];
  /** A GOV.UK bank-holidays.json that replaces the built-in tables for every year it lists. */
  feed?: GovUkFeed;
  /** Default Mon–Fri 09:00–17:00. */
  officeHours?: WeeklyHours;
  /** Hours of named teams, e.g. `building-bridges`. */
  teamHours?: Record<string, WeeklyHours>;
}

/** A bank holiday as GOV.UK names it. */
export interface Holiday {
  date: string;
  name: string;
}

/** The working calendar of one authority: which days are working days, and whose hours. */
export interface Calendar {
  readonly division: Division;
  /** Changes when holidays, closures or hours change; deadlines store it. */
  readonly version: string;
  isWorkingDay(date: string): boolean;
  dayInfo(date: string): { workingDay: boolean; reason: string };
  holidays(year: number): Holiday[];
  /** The team's hours if it has its own, else the office hours. */
  hoursFor(team?: string): WeeklyHours;
}

/**
 * A computed due time and the sentences that explain it. `due` is the working target (close of
 * business, rolled back to a working day); `limit` the statutory limit: for a clock counted in
 * working days, weeks or months the end of its date in London (the next local midnight), for
 * one counted in hours the same instant as `due`.
 */
export interface Due {
  due: Date;
  limit: Date;
  explain: string[];
}
