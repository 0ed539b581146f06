/**
 * The working-time calendar: UK bank holidays per GOV.UK division, authority closures, office
 * and team hours, and DST-correct deadline arithmetic in Europe/London. Pure: no AWS, no clock.
 */
export {
  addHours,
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  atWorkingFraction,
  isOpen,
  nextOpening,
  openingOn,
  workingDaysBefore,
  workingHoursBefore,
  workingMsBetween,
} from './arithmetic.js';
export {
  BUILDING_BRIDGES_HOURS,
  createCalendar,
  DEFAULT_OFFICE_HOURS,
  DIVISION_NAMES,
} from './calendar.js';
export {
  CalendarError,
  CalendarRangeError,
  InvalidCalendarOptionsError,
  InvalidDateError,
  InvalidInstantError,
} from './errors.js';
export { parseInstant } from './instant.js';
export { formatLocal, localDate } from './london.js';
export {
  type Calendar,
  type CalendarOptions,
  type DayHours,
  DIVISIONS,
  type Division,
  type Due,
  type GovUkEvent,
  type GovUkFeed,
  type Holiday,
  type WeeklyHours,
} from './types.js';
