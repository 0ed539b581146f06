import { readFileSync } from 'node:fs';
import {
  type Calendar,
  createCalendar,
  type Division,
  formatLocal,
  type GovUkFeed,
  parseInstant,
} from '#kernel/calendar/index.js';

/** The hand-written GOV.UK feed fixture, 2018–2027: the independent oracle. */
export const govUkFixture = (): GovUkFeed =>
  JSON.parse(
    readFileSync(new URL('../fixtures/govuk-bank-holidays.json', import.meta.url), 'utf8'),
  ) as GovUkFeed;

export const cal = (division: Division = 'england-and-wales', closures?: string[]): Calendar =>
  createCalendar({ division, ...(closures ? { closures } : {}) });

export const at = (text: string): Date => parseInstant(text);
export const local = (d: Date): string => formatLocal(d);
