/**
 * What a CSV shape is (its columns, and how a row becomes webhook event envelopes), and how a
 * cell's text becomes an event field. Values are passed through as the file has them (after
 * trimming): a value the event schema refuses is refused with the API's own wording. Dates
 * without an offset are Europe/London wall times. Pure.
 */
import { formatLocal } from '#kernel/calendar/index.js';
import { localToUtc } from '#kernel/calendar/london.js';

/** An event envelope without its id: what a row says happened. */
export interface EventDraft {
  type: string;
  caseId?: string;
  occurredAt: unknown;
  data: Record<string, unknown>;
}

export interface Column {
  name: string;
  required: boolean;
  /** The event field it fills (`data.team`, `caseId`, `occurredAt`), for error reports. */
  field?: string;
  description: string;
}

export interface CsvShape {
  /** The shape's name: SSD's table name where SSD has the table, else Timescales' own. */
  name: string;
  /** Whether the table (not necessarily every column) is SSD's. */
  ssd: boolean;
  description: string;
  columns: Column[];
  /** The event types its rows become (a shape is offered only when the schema knows them). */
  eventTypes: string[];
  /** A header line and example rows, for the documentation and its test. */
  example: string[];
  toEvents(row: Readonly<Record<string, string>>): EventDraft[];
}

/** A column's value: trimmed, or undefined when the cell is empty or absent. */
export const cell = (row: Readonly<Record<string, string>>, name: string): string | undefined => {
  const value = row[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/** Copies the defined values only (an empty cell is an absent field, not an empty string). */
export const defined = (fields: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));

const LOCAL =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,3})?)?)?$|^(\d{2})\/(\d{2})\/(\d{4})(?: (\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * An instant from a file's date: ISO-8601 with an offset as it is; a date or date-time
 * without one (`2026-03-05`, `2026-03-05 14:30`, SSD's `05/03/2026`) as Europe/London wall
 * time (midnight for a date). Anything else is returned as it was, for the schema to refuse.
 */
export function instantOf(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const m = LOCAL.exec(text);
  if (m === null) return text;
  const iso = m[1] !== undefined;
  const [y, mo, d, h, mi, s] = iso
    ? [m[1], m[2], m[3], m[4], m[5], m[6]]
    : [m[9], m[8], m[7], m[10], m[11], m[12]];
  const year = Number(y);
  const month = Number(mo) - 1;
  const day = Number(d);
  const localMs = Date.UTC(year, month, day, Number(h ?? 0), Number(mi ?? 0), Number(s ?? 0));
  const check = new Date(localMs);
  // 31/02/2026 is not a date: leave it for the schema to refuse.
  if (check.getUTCMonth() !== month || check.getUTCDate() !== day) return text;
  return formatLocal(new Date(localToUtc(localMs)));
}

const TRUE = new Set(['true', 'y', 'yes', '1']);
const FALSE = new Set(['false', 'n', 'no', '0']);

/** `true`/`false`, `Y`/`N`, `yes`/`no`, `1`/`0`; anything else as it was, for the schema to refuse. */
export function booleanOf(text: string | undefined): boolean | string | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (TRUE.has(lower)) return true;
  if (FALSE.has(lower)) return false;
  return text;
}

/** An integer, or the text as it was. */
export function integerOf(text: string | undefined): number | string | undefined {
  if (text === undefined) return undefined;
  return /^-?\d+$/.test(text) ? Number(text) : text;
}

/** `P-0001 allocated-worker; P-0002 team-manager` → the case's workers. */
export function workersOf(text: string | undefined): unknown[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(';')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [personId, role, ...rest] = entry.split(/\s+/);
      // A malformed entry reaches the schema as it is, which names the worker and the field.
      return rest.length > 0 ? { personId, role, extra: rest.join(' ') } : { personId, role };
    });
}

/** The column holding the case reference (`note`: where SSD keeps it elsewhere). */
export const caseColumn = (name: string, note = ''): Column => ({
  name,
  required: true,
  field: 'caseId',
  description: `the case reference (the child's record id in the case system, never a name)${note}`,
});
