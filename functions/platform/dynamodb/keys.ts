/**
 * Key builders for every entity in the single table (see docs/store.md). Keeping them in one
 * place is what makes the access patterns reviewable. Import the module as a namespace
 * (`import * as keys from './keys.js'`, then `keys.case(id)`): each builder is its own export,
 * so a Lambda bundle keeps only the builders it uses.
 */

const caseKey = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'CASE' });

export { caseKey as case };

/** gsi1: cases by status (`open`, `closed`), ordered by case id. */
export const caseIndex = (status: string, caseId: string) => ({
  gsi1pk: `CASES#${status}`,
  gsi1sk: caseId,
});
export const caseStatusPartition = (status: string) => `CASES#${status}`;

export const deadline = (caseId: string, deadlineId: string) => ({
  pk: `CASE#${caseId}`,
  sk: `DEADLINE#${deadlineId}`,
});
export const deadlinePrefix = 'DEADLINE#';
/** gsi1: deadlines by status, ordered by due time. */
export const deadlineIndex = (
  status: string,
  dueAt: string,
  caseId: string,
  deadlineId: string,
) => ({
  gsi1pk: `DEADLINES#${status}`,
  gsi1sk: `${dueAt}#${caseId}#${deadlineId}`,
});
export const deadlineStatusPartition = (status: string) => `DEADLINES#${status}`;
/** gsi2: one team's deadlines by status, ordered by due time (a team's manager list). */
export const deadlineTeamIndex = (
  team: string,
  status: string,
  dueAt: string,
  caseId: string,
  deadlineId: string,
) => ({
  gsi2pk: deadlineTeamPartition(team, status),
  gsi2sk: `${dueAt}#${caseId}#${deadlineId}`,
});
export const deadlineTeamPartition = (team: string, status: string) =>
  `TEAMDEADLINES#${team}#${status}`;
/**
 * The compliance report's counters for one rule and team in one month (`YYYY-MM`): one
 * partition per month, so a year's report is twelve small queries run side by side.
 */
export const report = (month: string, rule: string, team: string) => ({
  pk: reportPartition(month),
  sk: `${rule}#${team}`,
});
export const reportPartition = (month: string) => `REPORT#${month}`;
/** One audit item per committed case version (its entries in order), sorted by version. */
export const audit = (caseId: string, version: number) => ({
  pk: `CASE#${caseId}`,
  sk: `AUDIT#${String(version).padStart(10, '0')}`,
});
export const auditPrefix = 'AUDIT#';
export const event = (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' });
export const person = (personId: string) => ({ pk: `PERSON#${personId}`, sk: 'PROFILE' });
/** gsi1: people by team. */
export const personIndex = (team: string, personId: string) => ({
  gsi1pk: teamPartition(team),
  gsi1sk: `PERSON#${personId}`,
});
/** gsi2: every person, by person id (the directory's list). */
export const peopleIndex = (personId: string) => ({
  gsi2pk: peoplePartition,
  gsi2sk: `PERSON#${personId}`,
});
export const peoplePartition = 'PEOPLE';
export const away = (personId: string, from: string) => ({
  pk: `PERSON#${personId}`,
  sk: `AWAY#${from}`,
});
export const awayPrefix = 'AWAY#';
/** gsi2: away periods by their end, so the current and coming ones are one query. */
export const awayIndex = (to: string, personId: string, from: string) => ({
  gsi2pk: awayPartition,
  gsi2sk: `${to}#${personId}#${from}`,
});
export const awayPartition = 'AWAY';
export const shift = (from: string, personId: string) => ({
  pk: 'ROTA',
  sk: `SHIFT#${from}#${personId}`,
});
export const rotaPartition = 'ROTA';
export const shiftPrefix = 'SHIFT#';
/**
 * A reminder that reached nobody it was meant for: per team, by the time it was due to fire
 * (newest first is a backwards Query); gsi1 holds every team's, for the list without a team.
 */
export const unrouted = (team: string, at: string, caseId: string, reminderId: string) => ({
  pk: `UNROUTED#${team}`,
  sk: `${at}#${caseId}#${reminderId}`,
});
export const unroutedIndex = (at: string, team: string, caseId: string, reminderId: string) => ({
  gsi1pk: 'UNROUTED',
  gsi1sk: `${at}#${team}#${caseId}#${reminderId}`,
});
export const unroutedPartition = (team: string) => `UNROUTED#${team}`;
export const unroutedAllPartition = 'UNROUTED';
/** gsi1: the people of a team (`personIndex`'s partition). */
export const teamPartition = (team: string) => `TEAM#${team}`;
/** The operator's GOV.UK bank-holidays feed (one config item). */
export const calendarFeed = () => ({ pk: 'CONFIG', sk: 'BANK-HOLIDAYS' });
/**
 * The directory stamp: a number `generation` that every directory write bumps in its own
 * transaction; the reminders' directory cache is exact because it reads it with the case.
 */
export const directoryStamp = () => ({ pk: 'CONFIG', sk: 'DIRECTORY' });
/**
 * A send claim: one per case, reminder and person, written before that person's messages go
 * (`send-claims.ts`).
 */
export const sendClaim = (key: { caseId: string; reminderId: string; personId: string }) => ({
  pk: `SEND#${key.caseId}#${key.reminderId}#${key.personId}`,
  sk: 'CLAIM',
});
/** A send's delivery receipt: beside its claim, one per channel (the first receipt settles it). */
export const sendDelivery = (
  key: { caseId: string; reminderId: string; personId: string },
  channel: string,
) => ({ ...sendClaim(key), sk: `DELIVERY#${channel}` });
/** A calendar invitation served by the API (`GET /v1/invitations/{token}.ics`). */
export const invitation = (token: string) => ({ pk: `INVITE#${token}`, sk: 'ICS' });
/**
 * A reminder's audit lines, appended outside the case transaction: sorted after the engine's
 * own item of the same case version (`AUDIT#<version>`), unique by `suffix`.
 */
export const reminderAudit = (caseId: string, caseVersion: number, at: string, suffix: string) => ({
  pk: `CASE#${caseId}`,
  sk: `AUDIT#${String(caseVersion).padStart(10, '0')}#R#${at}#${suffix}`,
});
/** A timer of the local scheduler driver. */
export const timer = (name: string) => ({ pk: `TIMER#${name}`, sk: 'TIMER' });
/** gsi2: timers by the time they are due (fire or retry time), in `partition`. */
export const timerIndex = (partition: string, dueAt: string, name: string) => ({
  gsi2pk: partition,
  gsi2sk: `${dueAt}#${name}`,
});
/** The gsi2 partition of pending timers. */
export const timerPartition = 'TIMERS';
/** The gsi2 partition of timers parked after their last failed attempt (never dropped). */
export const deadTimerPartition = 'TIMERS#DEAD';
/** What the EDT was alerted to overnight: one per team, date, case and reminder. */
export const digestEntry = (team: string, date: string, caseId: string, reminderId: string) => ({
  pk: `DIGEST#${team}#${date}`,
  sk: `ITEM#${caseId}#${reminderId}`,
});
export const digestPartition = (team: string, date: string) => `DIGEST#${team}#${date}`;
/** gsi2: every digest entry (what the EDT was alerted to) by the time it was sent, across teams. */
export const digestIndex = (alertedAt: string, caseId: string, reminderId: string) => ({
  gsi2pk: digestIndexPartition,
  gsi2sk: `${alertedAt}#${caseId}#${reminderId}`,
});
export const digestIndexPartition = 'DIGESTS';

/** An out-of-hours alert, found by the id its ack link carries. */
export const alert = (alertId: string) => ({ pk: `ALERT#${alertId}`, sk: 'ALERT' });
/** gsi1: alerts by status (`open`, `acknowledged`), by when they were sent. */
export const alertIndex = (status: string, sentAt: string, alertId: string) => ({
  gsi1pk: `ALERTS#${status}`,
  gsi1sk: `${sentAt}#${alertId}`,
});
export const alertStatusPartition = (status: string) => `ALERTS#${status}`;
/** One clock's alert state: its alerts awaiting acknowledgement, its acknowledgement, its escalations. */
export const clockAlerts = (caseId: string, deadlineId: string) => ({
  pk: `CLOCK#${caseId}#${deadlineId}`,
  sk: 'ALERTS',
});
/**
 * A drop-bucket import's checkpoint: one per object version (its ETag when unversioned), so a
 * resumed invocation carries on from the line after the last one done.
 */
export const importProgress = (bucket: string, key: string, version: string) => ({
  pk: `IMPORT#${bucket}/${key}`,
  sk: `PROGRESS#${version}`,
});

/**
 * The case version whose timers an import last saw set (the import's own mark, in the case's
 * partition): a re-imported row of a case still at that version needs no timers re-set.
 */
export const importSettled = (caseId: string) => ({ pk: `CASE#${caseId}`, sk: 'IMPORT#SETTLED' });

/** How long an event's idempotency record is kept (DynamoDB TTL deletes it afterwards). */
export const EVENT_RECORD_TTL_DAYS = 90;

/**
 * A person named on an open case (any role): one item per person and case, kept by the case's
 * commits, so a person's cases are one Query (the managers' pages: who manages which team,
 * whose case page a person may open).
 */
export const casePerson = (personId: string, caseId: string) => ({
  pk: `PERSON#${personId}`,
  sk: `${casePersonPrefix}${caseId}`,
});
export const casePersonPrefix = 'CASE#';
