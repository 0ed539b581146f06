/**
 * How the case aggregate and its deadlines are written to items. The aggregate is kept as one
 * JSON string (exact round trip, no marshalling surprises); reading revives its instants.
 */
import {
  type AuditEntry,
  type CaseAggregate,
  type Deadline,
  reviveStoredAggregate,
} from '#kernel/model.js';
import type { AuditRecord, DeadlineRecord, StoredCase } from '#kernel/records.js';

/**
 * `JSON.stringify(aggregate)`, the same text in four fifths of the time. `Date.prototype.toJSON`
 * (`toISOString`) is slow here and a case holds a couple of dozen instants, all within two
 * records of the top (`deadlines[].dueAt`, `lastSupervision.joint`): the aggregate is copied
 * that deep with each instant already written as text, and the copy stringified. A property
 * test holds the two texts equal.
 */
export function serializeAggregate(aggregate: CaseAggregate): string {
  return JSON.stringify(withInstantsWritten(aggregate, 1));
}

/**
 * `value` with its Dates as the text `toJSON` gives them, copying records down to `depth`
 * below it (arrays do not count) and leaving anything deeper as it is.
 */
function withInstantsWritten(value: unknown, depth: number): unknown {
  if (value instanceof Date) return instantJson(value);
  if (depth < 0 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    const items = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = withInstantsWritten(value[i], depth);
    return items;
  }
  // An object that says how it is written is left to say so.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(record)) {
    const member = withInstantsWritten(record[key], depth - 1);
    // An own "__proto__" (JSON.parse makes one) must stay data, not become the prototype.
    if (key === '__proto__')
      Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true });
    else copy[key] = member;
  }
  return copy;
}

/** What `Date.prototype.toJSON` gives: null for an invalid date. */
function instantJson(date: Date): string | null {
  const ms = date.getTime();
  if (Number.isNaN(ms)) return null;
  // Years 0000-9999 only: toISOString writes others with a sign and six digits.
  if (ms < MIN_FOUR_DIGIT_YEAR_MS || ms > MAX_FOUR_DIGIT_YEAR_MS) return date.toISOString();
  // A case is written again on every event with most of its instants unchanged: a lookup is a
  // twentieth of the arithmetic.
  let text = writtenInstants.get(ms);
  if (text === undefined) {
    if (writtenInstants.size >= WRITTEN_INSTANTS) writtenInstants.clear();
    text = isoInstant(ms);
    writtenInstants.set(ms, text);
  }
  return text;
}

/** Instants already written, by their milliseconds (~3 MB at most; cleared when full). */
const writtenInstants = new Map<number, string>();
const WRITTEN_INSTANTS = 20_000;

const MIN_FOUR_DIGIT_YEAR_MS = -62_167_219_200_000; // 0000-01-01T00:00:00.000Z
const MAX_FOUR_DIGIT_YEAR_MS = 253_402_300_799_999; // 9999-12-31T23:59:59.999Z
const DAY_MS = 86_400_000;

/**
 * `new Date(ms).toISOString()` for years 0000-9999: the civil date from the day count by
 * H. Hinnant's algorithm ("chrono-compatible low-level date algorithms"), then the time.
 */
export function isoInstant(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear =
    dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153); // months from March
  const day = dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1;
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  const inDay = ms - days * DAY_MS;
  const hours = Math.floor(inDay / 3_600_000);
  const minutes = Math.floor(inDay / 60_000) % 60;
  const seconds = Math.floor(inDay / 1000) % 60;
  const millis = inDay % 1000;
  return `${year < 1000 ? `000${year}`.slice(-4) : year}-${two(month)}-${two(day)}T${two(hours)}:${two(minutes)}:${two(seconds)}.${millis < 10 ? `00${millis}` : millis < 100 ? `0${millis}` : millis}Z`;
}

function two(n: number): string {
  return n < 10 ? `0${n}` : `${n}`;
}

export function deserializeAggregate(text: string): CaseAggregate {
  return reviveStoredAggregate(JSON.parse(text));
}

/**
 * A case item (`caseId`, `version`, `updatedAt` and the aggregate's text) as read. The aggregate
 * is decoded when first asked for, once: a reader that already holds the aggregate of that exact
 * text (`decoded`: an import's stretch holding what it committed) never pays for the parse.
 */
export function storedCaseOf(caseItem: object, decoded?: CaseAggregate): StoredCase {
  const item = caseItem as Record<string, unknown>;
  const serialized = item.aggregate as string;
  let aggregate = decoded;
  return {
    caseId: item.caseId as string,
    version: item.version as number,
    updatedAt: item.updatedAt as string,
    serialized,
    get aggregate(): CaseAggregate {
      aggregate ??= deserializeAggregate(serialized);
      return aggregate;
    },
  };
}

export function deadlinesOf(aggregate: CaseAggregate | undefined): Deadline[] {
  return aggregate === undefined ? [] : [...aggregate.deadlines];
}

export function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const date = value instanceof Date ? value : new Date(value);
  // The instants a case's write already wrote are looked up (`instantJson`); an invalid one
  // throws as toISOString does.
  return instantJson(date) ?? date.toISOString();
}

export function toDeadlineRecord(d: Deadline): DeadlineRecord {
  const explain = d.explain as unknown;
  return omitUndefined({
    id: d.id,
    caseId: d.caseId,
    rule: d.rule,
    status: d.status,
    dueAt: iso(d.dueAt) as string,
    limitAt: iso(d.limitAt),
    startedAt: iso(d.startedAt),
    closedAt: iso(d.closedAt),
    closedReason: d.closedReason,
    measure: d.measure,
    metAt: iso(d.metAt),
    lateness: d.lateness,
    stage: d.stage,
    stageName: d.stageName,
    subjectId: d.subjectId,
    team: d.team,
    version: d.version,
    ruleVersion: d.ruleVersion === undefined ? undefined : String(d.ruleVersion),
    calendarVersion: d.calendarVersion,
    explain: Array.isArray(explain)
      ? explain.map(String)
      : explain === undefined
        ? []
        : [String(explain)],
  });
}

export function toAuditRecord(entry: AuditEntry): AuditRecord {
  return omitUndefined({
    at: iso(entry.at) as string,
    kind: entry.kind,
    eventId: entry.eventId,
    deadlineId: entry.deadlineId,
    detail: entry.detail,
  });
}

/** The object without its undefined fields (a loop: it runs for every deadline of every commit). */
export function omitUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
