/**
 * The field types every event shares: instants inside the calendar's years, the ids we mint
 * or receive, and the cross-field rules JSON Schema cannot state. The case and directory events
 * (`case-events.ts`, `directory-events.ts`) build on them; `events.ts` re-exports what the rest
 * of the code uses.
 */
// zod/mini with English messages (see ./zod.ts); a namespace import lets esbuild drop zod's
// unused parts.
import { FIRST_YEAR, LAST_YEAR } from '#kernel/calendar/generated/uk-bank-holidays.js';
import { localDate } from '#kernel/calendar/london.js';
import * as z from './zod.js';

/** An instant: ISO-8601 with an explicit offset (`Z` or `±hh:mm`); impossible dates are refused. */
export const Instant = z.iso
  .datetime({ offset: true })
  .check(z.describe('ISO-8601 instant with an offset'));

/** The years the calendar covers: every instant in an event must fall in them (UK time). */
export const CALENDAR_RANGE = { first: `${FIRST_YEAR}-01-01`, last: `${LAST_YEAR}-12-31` };

/**
 * The same range as instants: London keeps GMT through January and December, so a UK date
 * from the first to the last is exactly an instant from the first's midnight UTC to (not
 * including) the midnight UTC after the last.
 */
export const INSTANT_RANGE = {
  minimum: `${FIRST_YEAR}-01-01T00:00:00Z`,
  exclusiveMaximum: `${LAST_YEAR + 1}-01-01T00:00:00Z`,
};

/** A pattern for a year from `first` to `last` (four digits each), one alternative a decade. */
export function yearsPattern(first: number, last: number): string {
  const decades: string[] = [];
  for (let decade = Math.floor(first / 10); decade <= Math.floor(last / 10); decade++) {
    const low = Math.max(first, decade * 10) % 10;
    const high = Math.min(last, decade * 10 + 9) % 10;
    decades.push(
      `${decade}${low === high ? low : low === 0 && high === 9 ? '\\d' : `[${low}-${high}]`}`,
    );
  }
  return `^(?:${decades.join('|')})-`;
}

/** The written year of an instant in the calendar's years (what JSON Schema can check). */
const WRITTEN_YEAR = yearsPattern(FIRST_YEAR, LAST_YEAR);
const WRITTEN_YEAR_RE = new RegExp(WRITTEN_YEAR);

const OUTSIDE_CALENDAR = 'outside-calendar';
export const IN_CALENDAR = `on a UK date from ${CALENDAR_RANGE.first} to ${CALENDAR_RANGE.last}, the years the calendar covers, and written with a year from ${FIRST_YEAR} to ${LAST_YEAR} (otherwise 422)`;

/**
 * Every instant an event carries: an `Instant` on a UK date the calendar covers, its year
 * written in those years too (so the written-year pattern in the OpenAPI document is one the
 * server holds to). A clock started outside those years could never be computed or routed; it
 * is refused at the door (422, naming the field and the range) rather than stored.
 */
export const EventInstant = Instant.check(
  z.refine(
    (text) => {
      const at = Date.parse(text);
      // Not an instant at all: the format check above says so.
      if (Number.isNaN(at)) return true;
      const day = localDate(new Date(at));
      return (
        WRITTEN_YEAR_RE.test(text) && day >= CALENDAR_RANGE.first && day <= CALENDAR_RANGE.last
      );
    },
    {
      message: `must fall between ${CALENDAR_RANGE.first} and ${CALENDAR_RANGE.last} (UK dates): the years the calendar covers`,
      params: { reason: OUTSIDE_CALENDAR },
    },
  ),
  z.describe(`ISO-8601 instant with an offset, ${IN_CALENDAR}`),
  // JSON Schema compares no instants: the written year as a pattern (beside the format's
  // own), the exact range as an extension.
  z.meta({ allOf: [{ pattern: WRITTEN_YEAR }], 'x-instant-range': INSTANT_RANGE }),
);

/** Whether a validation issue is an instant outside the calendar's years (a 422, not a 400). */
export function isOutsideCalendarIssue(issue: z.core.$ZodIssue): boolean {
  return (
    issue.code === 'custom' &&
    (issue.params as { reason?: unknown } | undefined)?.reason === OUTSIDE_CALENDAR
  );
}

/**
 * A rule across two fields of one object, which JSON Schema cannot state: `field` is refused
 * (400, the issue at its path) unless it stands in `rule` to `other`. The OpenAPI document
 * lists an object's rules as `x-cross-field`, each without `holds`.
 */
export interface CrossField<T> {
  field: keyof T & string;
  rule: 'after' | 'not-equal' | 'at-most-days-after';
  other: keyof T & string;
  days?: number;
  message: string;
  holds(value: T): boolean;
}

/** The checks that enforce the rules, and the metadata that documents them. */
export function crossFields<T>(...rules: CrossField<T>[]) {
  return {
    checks: rules.map((rule) =>
      z.refine<T>((value) => rule.holds(value), { message: rule.message, path: [rule.field] }),
    ),
    meta: z.meta({ 'x-cross-field': rules.map(({ holds: _, ...doc }) => doc) }),
  };
}

/** `from` strictly before `to` (an away period, a rota shift, the rota's window). */
export const fromBeforeTo = {
  field: 'to',
  rule: 'after',
  other: 'from',
  message: '"from" must be before "to"',
  holds: (d: { from: string; to: string }) => Date.parse(d.from) < Date.parse(d.to),
} as const satisfies CrossField<{ from: string; to: string }>;

/** Ids we mint or receive: synthetic references, never names. */
export const Id = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
  );

export const CaseId = Id.check(z.describe('case reference, e.g. C-1001'));
export const PersonId = Id.check(z.describe('professional id in the directory, e.g. P-0001'));
