/**
 * Read queries behind `GET /v1/...`. Input: validated ids / query; output: the response
 * bodies of `schemas/responses.ts`. An unknown case is a `NotFoundError`.
 */

import { toAlertView } from '#kernel/alert-state.js';
import {
  type Calendar,
  CalendarRangeError,
  createCalendar,
  type Division,
} from '#kernel/calendar/index.js';
import { type CalendarFor, caseCalendar } from '#kernel/engine/types.js';
import { NotFoundError } from '#kernel/errors.js';
import type { Person } from '#kernel/people.js';
import type { AlertStore, CaseStore, Directory, DirectoryListing } from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, StoredCase, UnroutedReminder } from '#kernel/records.js';
import { sendsOf } from '#kernel/reminders/delivery.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/plans.js';
import { type Routing, routeReminder } from '#kernel/reminders/routing.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';
import { listPlannedReminders, reminderStatus, repeatsPlanned } from '#kernel/reminders/view.js';
import type {
  AlertList,
  AlertQuery,
  AuditList,
  CaseView,
  DeadlineList,
  DeadlineQuery,
  DeadlineView,
  PeopleQuery,
  PersonDetail,
  PersonList,
  PersonView,
  ReminderList,
  ReminderView,
  RotaList,
  RotaQuery,
  UnroutedList,
  UnroutedQuery,
  UnroutedView,
} from '#schemas/responses.js';
import type { UnroutedStore } from './ports.js';

export interface ReadDeps {
  store: CaseStore;
  /**
   * What `GET /v1/cases/{caseId}/reminders` plans and routes with: the authority's calendar
   * (team hours) and each case division's (`calendarFor`), its reminder plans and the
   * directory. Without it: office hours on the case division's bank holidays (England and
   * Wales when it has none), the default plans, and recipients from the case's workers only
   * (no managers, no delegates, no EDT rota).
   */
  reminders?: {
    calendar: Calendar;
    calendarFor?: CalendarFor;
    plans?: ReminderPlans;
    directory: Directory;
    /** The authority's fallback contact (`fallbackPerson`), shown as `@fallback`. */
    fallback?: Person | undefined;
  };
  /** Where unrouted reminders are kept (`GET /v1/reminders/unrouted`). @default none: an empty list */
  unrouted?: UnroutedStore;
  /** Where out-of-hours alerts are kept (`GET /v1/alerts`). @default none: an empty list */
  alerts?: Pick<AlertStore, 'listAlerts'>;
  /** The directory's lists (`GET /v1/people`, `/v1/rota`). Without it those routes answer 404. */
  directory?: DirectoryListing;
}

export async function getCase(caseId: string, deps: ReadDeps): Promise<CaseView> {
  const stored = await deps.store.loadCase(caseId);
  if (stored === undefined) throw notFound(caseId);
  const { deadlines: _deadlines, ...facts } = stored.aggregate as unknown as Record<
    string,
    unknown
  >;
  return {
    caseId,
    version: stored.version,
    updatedAt: stored.updatedAt,
    // Dates become ISO strings, as everywhere at the edge.
    facts: JSON.parse(JSON.stringify(facts)) as Record<string, unknown>,
  };
}

export async function getCaseDeadlines(caseId: string, deps: ReadDeps): Promise<DeadlineList> {
  const deadlines = await deps.store.listDeadlines(caseId);
  if (deadlines.length === 0 && (await deps.store.loadCase(caseId)) === undefined)
    throw notFound(caseId);
  return { deadlines: deadlines.map(toView) };
}

export async function listDeadlines(query: DeadlineQuery, deps: ReadDeps): Promise<DeadlineList> {
  const page = await deps.store.queryDeadlines({
    status: query.status,
    dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
    team: query.team,
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    deadlines: page.deadlines.map(toView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

export async function getAudit(caseId: string, deps: ReadDeps): Promise<AuditList> {
  const entries = await deps.store.listAudit(caseId);
  if (entries.length === 0 && (await deps.store.loadCase(caseId)) === undefined)
    throw notFound(caseId);
  return { caseId, entries };
}

/**
 * The case's reminders (open and breached deadlines; none once the case is closed) with what
 * happened to each (from the audit trail), each routed as it would be at its fire time if
 * nothing changes before then: personIds and roles only, never contact details.
 */
export async function getCaseReminders(caseId: string, deps: ReadDeps): Promise<ReminderList> {
  const stored = await deps.store.loadCase(caseId);
  if (stored === undefined) throw notFound(caseId);
  const trail = stored.aggregate.status === 'closed' ? [] : await deps.store.listAudit(caseId);
  return caseReminders(stored, trail, deps);
}

/**
 * `getCaseReminders` from the case and its audit trail already read (the case page reads
 * both for itself).
 */
export async function caseReminders(
  stored: StoredCase,
  audit: readonly AuditRecord[],
  deps: Pick<ReadDeps, 'reminders'>,
): Promise<ReminderList> {
  const { caseId, aggregate } = stored;
  // The case's own calendar: the reminders the fire path will send, on its division's holidays.
  const calendar =
    deps.reminders === undefined
      ? defaultCalendar(aggregate.division ?? 'england-and-wales')
      : caseCalendar(deps.reminders, aggregate);
  const plans = deps.reminders?.plans ?? DEFAULT_REMINDER_PLANS;
  const directory = memo(deps.reminders?.directory ?? workersOnly);
  const reminders: ReminderView[] = [];
  for (const view of listPlannedReminders(aggregate, calendar, plans, repeatsPlanned(audit))) {
    const plan = plans[view.rule];
    const deadline = aggregate.deadlines.find((d) => d.id === view.deadlineId);
    if (plan === undefined || deadline === undefined) continue;
    const routing = await routeSafely({
      plan,
      step: view.planStep,
      deadline,
      workers: aggregate.workers,
      now: new Date(view.fireAt),
      calendar,
      directory,
      fallback: deps.reminders?.fallback,
    });
    const roleOf = (id: string) => aggregate.workers.find((w) => w.personId === id)?.role;
    const recipients: ReminderView['recipients'] = [];
    const channels = new Set<'email' | 'sms'>();
    // A deferral is held to the person's next opening and then goes by email.
    const people = [
      ...routing.deliveries,
      ...routing.deferrals.map((d) => ({ ...d, channel: 'email' as const })),
    ];
    for (const p of people) {
      channels.add(p.channel);
      if (recipients.some((r) => r.personId === p.personId && r.via === p.via)) continue;
      const role = roleOf(p.personId);
      recipients.push({
        personId: p.personId,
        ...(role === undefined ? {} : { role }),
        via: p.via,
        forPersonId: p.forPersonId,
      });
    }
    reminders.push({
      id: view.reminderId,
      rule: view.rule,
      deadlineId: view.deadlineId,
      step: view.step,
      fireAt: view.fireAt,
      late: view.late,
      urgent: view.urgent,
      status: reminderStatus(view, audit),
      to: view.to,
      channels: [...channels].sort(),
      recipients,
      unroutable: routing.unroutable.map((u) => ({
        ...(u.role === undefined ? {} : { role: u.role }),
        ...(u.personId === undefined ? {} : { personId: u.personId }),
        reason: u.reason,
        ...(u.channel === undefined ? {} : { channel: u.channel }),
      })),
      // Each message that went, with what its provider's receipt said (delivered, or why not).
      sends: sendsOf(caseId, view.reminderId, audit),
    });
  }
  return { caseId, reminders };
}

const fallbackCalendars = new Map<Division, Calendar>();
const defaultCalendar = (division: Division): Calendar => {
  let calendar = fallbackCalendars.get(division);
  if (calendar === undefined) {
    calendar = createCalendar({ division });
    fallbackCalendars.set(division, calendar);
  }
  return calendar;
};

/**
 * Routes a listed step; a fire time beyond the years the calendar covers cannot be routed,
 * and says so rather than failing the whole list.
 */
async function routeSafely(input: Parameters<typeof routeReminder>[0]): Promise<Routing> {
  try {
    return await routeReminder(input);
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error;
    return {
      deliveries: [],
      deferrals: [],
      unroutable: [{ reason: 'outside-calendar' }],
      edt: false,
      dayRecipients: [],
      unrouted: false,
    };
  }
}

/** `GET /v1/reminders/unrouted`: reminders that reached nobody they were meant for, newest first. */
export async function listUnrouted(query: UnroutedQuery, deps: ReadDeps): Promise<UnroutedList> {
  if (deps.unrouted === undefined) return { reminders: [] };
  const page = await deps.unrouted.queryUnrouted({
    since: query.since === undefined ? undefined : new Date(query.since),
    team: query.team,
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    reminders: page.reminders.map(toUnroutedView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

/** `GET /v1/alerts`: out-of-hours alerts by status, newest first. */
export async function listAlerts(query: AlertQuery, deps: ReadDeps): Promise<AlertList> {
  if (deps.alerts === undefined) return { alerts: [] };
  const page = await deps.alerts.listAlerts(query);
  return {
    alerts: page.alerts.map(toAlertView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

function toUnroutedView(r: UnroutedReminder): UnroutedView {
  return { ...r, at: r.at.toISOString() };
}

export async function listPeople(query: PeopleQuery, deps: ReadDeps): Promise<PersonList> {
  const page = await directoryOf(deps).listPeople(query);
  return {
    people: page.people.map(personView),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

/** A person with every away period recorded and the delegates those name. */
export async function getPerson(personId: string, deps: ReadDeps): Promise<PersonDetail> {
  const directory = directoryOf(deps);
  const person = await directory.getPerson(personId);
  if (person === undefined) {
    throw new NotFoundError(`no person ${personId}`, {
      errors: [{ field: 'personId', message: 'unknown person' }],
    });
  }
  const away = (await directory.awayPeriods(personId)).map(({ from, to, delegateId }) => ({
    from: utc(from),
    to: utc(to),
    delegateId,
  }));
  return {
    person: personView(person),
    away,
    delegates: [...new Set(away.map((a) => a.delegateId))],
  };
}

export async function listRota(query: RotaQuery, deps: ReadDeps): Promise<RotaList> {
  const page = await directoryOf(deps).listShifts({
    from: new Date(query.from),
    to: new Date(query.to),
    limit: query.limit,
    cursor: query.cursor,
  });
  return {
    shifts: page.shifts.map((s) => ({
      personId: s.personId,
      from: utc(s.from),
      to: utc(s.to),
      ...(s.tier === undefined ? {} : { tier: String(s.tier) }),
    })),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  };
}

function directoryOf(deps: ReadDeps): DirectoryListing {
  if (deps.directory === undefined) throw new NotFoundError('no directory is wired');
  return deps.directory;
}

const utc = (instant: string) => new Date(instant).toISOString();

function personView(p: Person): PersonView {
  return { ...p, updatedAt: utc(p.updatedAt) };
}

/** Without a directory: every named worker exists, nobody is away, nobody is on call. */
const workersOnly: Directory = {
  // A stand-in address: this view shows personIds only, never an address.
  getPerson: async (personId) => ({
    personId,
    name: '',
    email: `${personId}@directory.invalid`,
    updatedAt: '',
  }),
  awayAt: async () => undefined,
  onCallAt: async () => undefined,
};

/** One request's directory reads, remembered (a plan asks about the same people often). */
function memo(directory: Directory): Directory {
  const cache = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!cache.has(key)) cache.set(key, read());
    return cache.get(key) as Promise<T>;
  };
  return {
    getPerson: (id) => once(`p|${id}`, () => directory.getPerson(id)),
    awayAt: (id, at) => once(`a|${id}|${at.toISOString()}`, () => directory.awayAt(id, at)),
    onCallAt: (at, tier = 1) =>
      once(`r|${tier}|${at.toISOString()}`, () => directory.onCallAt(at, tier)),
  };
}

function toView(d: DeadlineRecord): DeadlineView {
  const { ruleVersion: _r, calendarVersion: _c, ...view } = d;
  return view;
}

function notFound(caseId: string): NotFoundError {
  return new NotFoundError(`no case ${caseId}`, {
    errors: [{ field: 'caseId', message: 'unknown case' }],
  });
}
