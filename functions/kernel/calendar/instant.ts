import { DAY_MS, dayFromCivil, daysInMonth, MONTHS } from './days.js';
import { InvalidInstantError } from './errors.js';

const INSTANT_RE =
  /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Parses a strict ISO-8601 instant that carries its offset (`Z` or `±HH:MM`), e.g.
 * `2026-03-27T15:00:00+00:00`. A time without an offset is refused because a local time is
 * ambiguous at the October clock change; impossible dates (2026-02-30, 24:00, 10:60) are refused
 * rather than rolled over as `Date.parse` does.
 * @throws {InvalidInstantError} when the text is malformed or names a time that does not exist.
 */
export function parseInstant(text: string): Date {
  const m = INSTANT_RE.exec(text);
  const fail = (why: string): never => {
    throw new InvalidInstantError(`Invalid instant "${text}": ${why}`);
  };
  if (!m)
    return fail(
      'expected ISO-8601 with an offset, e.g. 2026-03-27T15:00:00Z or 2026-03-27T15:00:00+00:00',
    );
  const [, ys, mos, ds, hs, mis, ss = '0', frac = '', zone = 'Z'] = m;
  const year = Number(ys);
  const month = Number(mos);
  const day = Number(ds);
  const hour = Number(hs);
  const minute = Number(mis);
  const second = Number(ss);
  if (month < 1 || month > 12) fail(`there is no month ${month}`);
  if (day < 1 || day > daysInMonth(year, month)) {
    fail(`${MONTHS[month - 1]} ${year} has ${daysInMonth(year, month)} days`);
  }
  if (hour > 23) fail(`there is no hour ${hour}`);
  if (minute > 59) fail(`there is no minute ${minute}`);
  if (second > 59) fail(`there is no second ${second}`);
  let offsetMin = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) fail(`offset ${zone} is out of range`);
    offsetMin = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const millis = Math.floor(Number(`0.${frac || '0'}`) * 1000);
  const ms =
    dayFromCivil(year, month, day) * DAY_MS +
    ((hour * 60 + minute - offsetMin) * 60 + second) * 1000 +
    millis;
  return new Date(ms);
}
