/**
 * Response bodies and query parameters of the API: validated at the edge, rendered into
 * `schemas/openapi.json` by `scripts/generate-openapi.ts`.
 */
// Each concept's answers live in their own module (a case, its reminders, out-of-hours alerts,
// the directory); this one re-exports them, so importers need only it.
export {
  AckResult,
  AckTokenParams,
  AlertAckView,
  AlertList,
  AlertParams,
  AlertQuery,
  AlertView,
  HtmlPage,
  ReceivedTextResult,
} from './alert-responses.js';
export {
  AuditList,
  AuditView,
  CaseParams,
  CaseView,
  DeadlineList,
  DeadlineQuery,
  DeadlineStatus,
  DeadlineView,
  EventAccepted,
  EventWarning,
} from './case-responses.js';
export {
  AwayView,
  MAX_ROTA_DAYS,
  PeopleQuery,
  PersonDetail,
  PersonList,
  PersonParams,
  PersonView,
  RotaList,
  RotaQuery,
  RotaShiftView,
} from './directory-responses.js';
export {
  CalendarFile,
  InvitationParams,
  NotifyCallbackResult,
  ReminderList,
  ReminderView,
  UnroutedList,
  UnroutedQuery,
  UnroutedView,
} from './reminder-responses.js';
