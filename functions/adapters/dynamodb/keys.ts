/**
 * Key builders for every entity in the single table (see the README, "The store"). Keeping them in one
 * place is what makes the access patterns reviewable.
 */
export const keys = {
  case: (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' }),
  deadline: (caseId: string, deadlineId: string) => ({
    pk: `CASE#${caseId}`,
    sk: `DEADLINE#${deadlineId}`,
  }),
  deadlinePrefix: 'DEADLINE#',
  /** gsi1: deadlines by status, ordered by due time. */
  deadlineIndex: (status: string, dueAt: string, caseId: string, deadlineId: string) => ({
    gsi1pk: `DEADLINES#${status}`,
    gsi1sk: `${dueAt}#${caseId}#${deadlineId}`,
  }),
  deadlineStatusPartition: (status: string) => `DEADLINES#${status}`,
  /** One audit item per committed case version (its entries in order), sorted by version. */
  audit: (caseId: string, version: number) => ({
    pk: `CASE#${caseId}`,
    sk: `AUDIT#${String(version).padStart(10, '0')}`,
  }),
  auditPrefix: 'AUDIT#',
  event: (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' }),
  person: (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' }),
  /** gsi1: people by team. */
  personIndex: (team: string, personId: string) => ({
    gsi1pk: `TEAM#${team}`,
    gsi1sk: `PERSON#${personId}`,
  }),
  away: (personId: string, from: string) => ({ pk: `PERSON#${personId}`, sk: `AWAY#${from}` }),
  awayPrefix: 'AWAY#',
  shift: (from: string, personId: string) => ({ pk: 'ROTA', sk: `SHIFT#${from}#${personId}` }),
  rotaPartition: 'ROTA',
  shiftPrefix: 'SHIFT#',
  /**
   * A reminder that reached nobody it was meant for: per team, by the time it was due to fire
   * (newest first is a backwards Query); gsi1 holds every team's, for the list without a team.
   */
  unrouted: (team: string, at: string, caseId: string, reminderId: string) => ({
    pk: `UNROUTED#${team}`,
    sk: `${at}#${caseId}#${reminderId}`,
  }),
  unroutedIndex: (at: string, team: string, caseId: string, reminderId: string) => ({
    gsi1pk: 'UNROUTED',
    gsi1sk: `${at}#${team}#${caseId}#${reminderId}`,
  }),
  unroutedPartition: (team: string) => `UNROUTED#${team}`,
  unroutedAllPartition: 'UNROUTED',
  /** The operator's GOV.UK bank-holidays feed (one config item). */
  calendarFeed: () => ({ pk: 'CONFIG', sk: 'BANK-HOLIDAYS' }),
  /**
   * The directory stamp: a number `generation` that every directory write bumps in its own
   * transaction; the reminders' directory cache is exact because it reads it with the case.
   */
  directoryStamp: () => ({ pk: 'CONFIG', sk: 'DIRECTORY' }),
} as const;

/** How long an event's idempotency record is kept (DynamoDB TTL deletes it afterwards). */
export const EVENT_RECORD_TTL_DAYS = 90;
