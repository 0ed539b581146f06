/** Base class of every error the calendar throws, so callers can map them with `instanceof`. */
export class CalendarError extends Error {
  override name = 'CalendarError';
}

/** A text that is not a strict ISO-8601 instant with an offset, or names an impossible time. */
export class InvalidInstantError extends CalendarError {
  override name = 'InvalidInstantError';
}

/** A `YYYY-MM-DD` text that is malformed or names a day that does not exist. */
export class InvalidDateError extends CalendarError {
  override name = 'InvalidDateError';
}

/** Calendar options (hours, closures, feed) that cannot be used. */
export class InvalidCalendarOptionsError extends CalendarError {
  override name = 'InvalidCalendarOptionsError';
}

/** A date outside the years the bank-holiday data covers, or an unusable amount. */
export class CalendarRangeError extends CalendarError {
  override name = 'CalendarRangeError';
}
