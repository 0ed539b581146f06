/**
 * Europe/London wall time without `Intl` on the hot path. Since 1996 UK clocks go forward at
 * 01:00 UTC on the last Sunday of March and back at 01:00 UTC on the last Sunday of October,
 * so the offsets for 1996–2199 are precomputed; other years ask `Intl` (tzdata), which is
 * slower but knows the older rules. A test checks the fast path against `Intl` hour by hour.
 */
import { DAY_MS, dayFromCivil, daysInMonth, humanDate, isoDate, isoWeekday } from './days.js';

export const HOUR_MS = 3_600_000;
const FAST_FIRST = 1996;
const FAST_LAST = 2199;
const bstStart = new Float64Array(FAST_LAST - FAST_FIRST + 1);
const bstEnd = new Float64Array(FAST_LAST - FAST_FIRST + 1);

function lastSunday(year: number, month: number): number {
  const last = dayFromCivil(year, month, daysInMonth(year, month));
  return last - (isoWeekday(last) % 7);
}

for (let y = FAST_FIRST; y <= FAST_LAST; y++) {
  bstStart[y - FAST_FIRST] = lastSunday(y, 3) * DAY_MS + HOUR_MS;
  bstEnd[y - FAST_FIRST] = lastSunday(y, 10) * DAY_MS + HOUR_MS;
}
const FAST_FROM_MS = dayFromCivil(FAST_FIRST, 1, 1) * DAY_MS;
const FAST_TO_MS = dayFromCivil(FAST_LAST + 1, 1, 1) * DAY_MS;

let intl: Intl.DateTimeFormat | undefined;

function intlOffset(ms: number): number {
  intl ??= new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const parts: Record<string, number> = {};
  for (const p of intl.formatToParts(ms)) parts[p.type] = Number(p.value);
  const local = new Date(0);
  local.setUTCFullYear(parts.year ?? 0, (parts.month ?? 1) - 1, parts.day ?? 1);
  local.setUTCHours(parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, 0);
  return local.getTime() - (ms - (((ms % 1000) + 1000) % 1000));
}

/** Milliseconds to add to a UTC instant to read Europe/London wall time. */
export function offsetAt(ms: number): number {
  if (ms < FAST_FROM_MS || ms >= FAST_TO_MS) return intlOffset(ms);
  // The estimate can be a year out only near 1 January, far from either clock change.
  const i = Math.min(
    Math.max(Math.floor(ms / DAY_MS / 365.2425) + 1970 - FAST_FIRST, 0),
    FAST_LAST - FAST_FIRST,
  );
  return ms >= (bstStart[i] as number) && ms < (bstEnd[i] as number) ? HOUR_MS : 0;
}

/**
 * The UTC instant of a local wall time given as milliseconds since the local epoch. A time that
 * occurs twice (October) resolves to the first; one skipped (March) to the hour after, as
 * Temporal's "compatible" disambiguation does.
 */
export function localToUtc(localMs: number): number {
  return offsetAt(localMs - HOUR_MS) === HOUR_MS ? localMs - HOUR_MS : localMs;
}

/** Local day number of an instant. */
export function localDay(ms: number): number {
  return Math.floor((ms + offsetAt(ms)) / DAY_MS);
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** ISO-8601 with the Europe/London offset, e.g. `2026-03-30T17:00:00+01:00`; milliseconds only when present. */
export function formatLocal(at: Date): string {
  const ms = at.getTime();
  const offset = offsetAt(ms);
  const local = ms + offset;
  const day = Math.floor(local / DAY_MS);
  let rest = local - day * DAY_MS;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  const s = Math.floor(rest / 1000);
  const milli = rest - s * 1000;
  const abs = Math.abs(offset) / 60_000;
  const sign = offset < 0 ? '-' : '+';
  const frac = milli ? `.${pad(milli, 3)}` : '';
  return `${isoDate(day)}T${pad(h)}:${pad(m)}:${pad(s)}${frac}${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/** `BST` in British Summer Time, else `GMT`: the zone an explanation names beside a time. */
export function zoneAt(ms: number): 'BST' | 'GMT' {
  return offsetAt(ms) === HOUR_MS ? 'BST' : 'GMT';
}

/** The instant at which local day `day` (a day number) begins: midnight in London. */
export function localMidnight(day: number): number {
  return localToUtc(day * DAY_MS);
}

/** The Europe/London calendar date (`YYYY-MM-DD`) of an instant. */
export function localDate(at: Date): string {
  return isoDate(localDay(at.getTime()));
}

/** `HH:MM` of an instant's local wall time. */
export function localClock(ms: number): string {
  const local = ms + offsetAt(ms);
  const minutes = Math.floor((local - Math.floor(local / DAY_MS) * DAY_MS) / 60_000);
  return `${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** A clock change inside (from, to]: when, and in which direction. */
export interface ClockChange {
  at: number;
  toSummerTime: boolean;
}

/** Clock changes strictly after `from` and at or before `to` (fast-path years only). */
export function clockChangesBetween(from: number, to: number): ClockChange[] {
  const out: ClockChange[] = [];
  if (to <= from) return out;
  const first = Math.max(Math.floor(from / DAY_MS / 365.2425) + 1970 - 1, FAST_FIRST);
  const last = Math.min(Math.floor(to / DAY_MS / 365.2425) + 1970 + 1, FAST_LAST);
  for (let y = first; y <= last; y++) {
    const s = bstStart[y - FAST_FIRST] as number;
    const e = bstEnd[y - FAST_FIRST] as number;
    if (s > from && s <= to) out.push({ at: s, toSummerTime: true });
    if (e > from && e <= to) out.push({ at: e, toSummerTime: false });
  }
  return out;
}

/** One short sentence about a clock change, for explanations. */
export function describeClockChange(change: ClockChange): string {
  const day = humanDate(Math.floor(change.at / DAY_MS));
  return change.toSummerTime
    ? `Crossed the start of British Summer Time: clocks went forward from 01:00 to 02:00 on ${day}.`
    : `Crossed the end of British Summer Time: clocks went back from 02:00 to 01:00 on ${day}.`;
}
