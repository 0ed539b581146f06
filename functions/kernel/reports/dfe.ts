/**
 * The DfE's measure of timeliness in the children in need statistics: working days from one
 * date to another — assessment: from the referral date to the completion date; initial child
 * protection conference: from the start of the section 47 enquiry to the conference — counted by
 * date, Monday to Friday less England and Wales bank holidays. The same day counts 0 ("same
 * day" in table C2), the next working day 1. Authority closure days and office hours play no
 * part: a council's return knows neither, and a figure from Timescales must equal the return's
 * for the same records.
 */
import { isoDate, isoWeekday } from '../calendar/days.js';
import type { Calendar } from '../calendar/index.js';
import { localDay } from '../calendar/london.js';

/** Working days after `from`'s London date up to and including `to`'s; 0 when `to` is not later. */
export function dfeWorkingDays(calendar: Pick<Calendar, 'holidays'>, from: Date, to: Date): number {
  const first = localDay(from.getTime()) + 1;
  const last = localDay(to.getTime());
  if (last < first) return 0;
  const holidays = new Set<string>();
  const [fromYear, toYear] = [first, last].map((day) => Number(isoDate(day).slice(0, 4)));
  for (let year = fromYear as number; year <= (toYear as number); year++)
    for (const h of calendar.holidays(year)) holidays.add(h.date);
  let count = 0;
  for (let day = first; day <= last; day++) {
    if (isoWeekday(day) <= 5 && !holidays.has(isoDate(day))) count++;
  }
  return count;
}
