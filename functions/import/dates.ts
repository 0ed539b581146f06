/**
 * A date that is not one, explained as the calendar explains it (`npx timescales
 * is-working-day 2026-02-30`: `Invalid date "2026-02-30": February 2026 has 28 days`) instead
 * of the schema's "Invalid ISO datetime": a row refused for `2026-02-30` or SSD's `30/02/2026`
 * says which day does not exist and why. Pure.
 */

import { parseIsoDate } from '#kernel/calendar/days.js';
import { InvalidDateError } from '#kernel/calendar/index.js';
import { type DomainError, ValidationError } from '#kernel/errors.js';

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?|^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/** Why `text` is not a date or time that exists, when it looks like one; else undefined. */
export function dateProblem(text: string): string | undefined {
  const m = DATE.exec(text.trim());
  if (m === null) return undefined;
  const iso = m[1] !== undefined;
  const [y, mo, d, h, mi, s] = iso
    ? [m[1], m[2], m[3], m[4], m[5], m[6]]
    : [m[9], m[8], m[7], m[10], m[11], m[12]];
  const day = `${y}-${mo}-${d}`;
  try {
    parseIsoDate(day);
  } catch (error) {
    if (!(error instanceof InvalidDateError)) throw error;
    return error.message.replace(`"${day}"`, JSON.stringify(text));
  }
  const beyond = (value: string | undefined, max: number, unit: string) =>
    value !== undefined && Number(value) > max ? `there is no ${unit} ${Number(value)}` : undefined;
  const why = beyond(h, 23, 'hour') ?? beyond(mi, 59, 'minute') ?? beyond(s, 59, 'second');
  return why === undefined ? undefined : `Invalid date "${text}": ${why}`;
}

/**
 * The same refusal with each field that holds an impossible date explained by the calendar
 * (`occurredAt: Invalid date "2026-02-30": February 2026 has 28 days`); other errors as they were.
 */
export function explainDates(error: DomainError, body: unknown): DomainError {
  if (!(error instanceof ValidationError)) return error;
  let changed = false;
  const errors = error.errors.map((e) => {
    const value = valueAt(body, e.field);
    const why = typeof value === 'string' ? dateProblem(value) : undefined;
    if (why === undefined) return e;
    changed = true;
    return { field: e.field, message: why };
  });
  return changed ? new ValidationError(error.message, { errors, cause: error }) : error;
}

/** The value at a dotted path (`data.from`, `data.workers.0.personId`). */
function valueAt(body: unknown, path: string): unknown {
  let at: unknown = body;
  for (const part of path.split('.')) {
    if (at === null || typeof at !== 'object') return undefined;
    at = (at as Record<string, unknown>)[part];
  }
  return at;
}
