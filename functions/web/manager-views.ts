/**
 * What the managers' pages show, as plain view models (the web layer renders them): the
 * dashboard, a case, the on-call page and the people page. Each takes the signed-in viewer
 * and shows only what their roles cover (`functions/kernel/access.ts`). Contact details
 * (email, phone) appear only in `peoplePage`.
 */

import { getCaseReminders, type ReadDeps } from '#functions/read/read-queries.js';
import { isHead, maySeeClock, type Viewer } from '#kernel/access.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import { localDay, localToUtc } from '#kernel/calendar/london.js';
import { ForbiddenError, NotFoundError } from '#kernel/errors.js';
import type { Person, RotaShift } from '#kernel/people.js';
import type {
  CaseStore,
  Clock,
  DeadlineQueryInput,
  Directory,
  DirectoryListing,
} from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, UnroutedReminder } from '#kernel/records.js';
import { DEFAULT_REMINDER_PLANS } from '#kernel/reminders/plans.js';
import type { RuleSet } from '#kernel/rules/index.js';
import type { AlertLog, DirectoryOverview } from './ports.js';

export interface ManagerDeps {
  store: Pick<
    CaseStore,
    'queryDeadlines' | 'countDeadlines' | 'loadCase' | 'listDeadlines' | 'listAudit'
  >;
  /** What the reminders view plans and routes with. */
  read: ReadDeps;
  directory: Pick<DirectoryListing, 'listShifts'> &
    Pick<DirectoryOverview, 'awayEndingAfter'> &
    Pick<Directory, 'onCallAt'>;
  alerts: AlertLog;
  rules: Pick<RuleSet, 'get' | 'rules'>;
  clock: Clock;
  /** The directory's people, kept per process until the directory stamp moves. */
  people: () => Promise<Person[]>;
}

/** A deadline as a row of a page. */
export interface ClockRow {
  caseId: string;
  deadlineId: string;
  rule: string;
  /** The rule's title, e.g. "LADO notification". */
  title: string;
  team: string;
  dueAt: string;
  stageName?: string;
  status: DeadlineRecord['status'];
  urgent: boolean;
  metAt?: string;
}

export interface Section {
  id: 'breached' | 'overdue' | 'this-week' | 'next-week';
  title: string;
  rows: ClockRow[];
  /** Rows beyond `SECTION_ROWS` are counted, not listed. */
  total: number;
}

/** Rows listed per dashboard section (the rest are counted; the CSV has every one). */
export const SECTION_ROWS = 200;
/** How far back the dashboard lists breached clocks not yet met. */
export const BREACHED_DAYS = 28;

/** Everyone in the directory, every page of the listing. */
export async function everyone(listing: Pick<DirectoryListing, 'listPeople'>): Promise<Person[]> {
  const people: Person[] = [];
  let cursor: string | undefined;
  do {
    const page = await listing.listPeople({ limit: 1000, cursor });
    people.push(...page.people);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return people;
}

/** The rota shifts overlapping [from, to), every page of the listing. */
export async function shiftsBetween(
  listing: Pick<DirectoryListing, 'listShifts'>,
  from: Date,
  to: Date,
): Promise<RotaShift[]> {
  const shifts: RotaShift[] = [];
  let cursor: string | undefined;
  do {
    const page = await listing.listShifts({ from, to, limit: 1000, cursor });
    shifts.push(...page.shifts.map(({ personId, from, to }) => ({ personId, from, to })));
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return shifts;
}

/** The people list, read again only when the directory stamp has moved. */
export function peopleByGeneration(
  listing: Pick<DirectoryListing, 'listPeople'> & Pick<DirectoryOverview, 'generation'>,
): () => Promise<Person[]> {
  let cached: { generation: number; people: Promise<Person[]> } | undefined;
  return async () => {
    const generation = await listing.generation();
    if (cached?.generation !== generation) {
      const people = everyone(listing);
      cached = { generation, people };
      // A failed read is not kept.
      people.catch(() => {
        if (cached?.people === people) cached = undefined;
      });
    }
    return cached.people;
  };
}

/** Monday 00:00 Europe/London of the week holding `at`. */
export function startOfWeek(at: Date): Date {
  const day = localDay(at.getTime());
  const monday = day - ((((day + 3) % 7) + 7) % 7);
  return new Date(localToUtc(monday * DAY_MS));
}

/** A clock's short name, as its messages call it (the reminder plan's title). */
function titleOf(rule: string, deps: Pick<ManagerDeps, 'read' | 'rules'>): string {
  const plans = deps.read.reminders?.plans ?? DEFAULT_REMINDER_PLANS;
  return plans[rule]?.title ?? deps.rules.get(rule)?.title ?? rule;
}

function row(d: DeadlineRecord, deps: Pick<ManagerDeps, 'read' | 'rules'>): ClockRow {
  const rule = deps.rules.get(d.rule);
  return {
    caseId: d.caseId,
    deadlineId: d.id,
    rule: d.rule,
    title: titleOf(d.rule, deps),
    team: d.team ?? 'unallocated',
    dueAt: d.dueAt,
    ...(d.stageName === undefined ? {} : { stageName: d.stageName }),
    status: d.status,
    urgent: rule?.urgent ?? false,
    ...(d.metAt === undefined ? {} : { metAt: d.metAt }),
  };
}

/** One query's worth of the clocks a viewer may see: a team (or every team) and which rules. */
type Scope = Pick<DeadlineQueryInput, 'team' | 'rules' | 'exceptRules'>;

/**
 * The queries that together list exactly the clocks `maySeeClock` lets the viewer see, each
 * clock in one of them: every clock for a head of service; a team manager's teams one by one;
 * the urgent rules across teams for the EDT manager (a team manager who is EDT too reads their
 * teams' other rules per team, so no clock is counted twice).
 */
function scopesOf(viewer: Viewer, deps: Pick<ManagerDeps, 'rules'>): Scope[] {
  if (isHead(viewer)) return [{}];
  const edt = viewer.roles.includes('edt');
  const urgent = deps.rules.rules.filter((r) => r.urgent).map((r) => r.id);
  const teams: Scope[] = viewer.roles.includes('team-manager')
    ? viewer.teams.map((team) =>
        edt && urgent.length > 0 ? { team, exceptRules: urgent } : { team },
      )
    : [];
  return edt ? [...teams, { rules: urgent }] : teams;
}

/** Query options shared by every scope: a status, a due range, met or not. */
type Slice = Pick<DeadlineQueryInput, 'status' | 'dueFrom' | 'dueBefore' | 'notMet'>;

function byDue(a: ClockRow, b: ClockRow): number {
  return a.dueAt.localeCompare(b.dueAt) || a.caseId.localeCompare(b.caseId);
}

/**
 * The first `limit` clocks of a slice the viewer may see, by due time, and how many there are
 * in all: each scope lists up to `limit` and is counted (`Select: COUNT`) only when it has
 * more, so a section never reads more than it lists.
 */
async function listed(
  viewer: Viewer,
  slice: Slice,
  limit: number,
  deps: ManagerDeps,
  scopes: Scope[] = scopesOf(viewer, deps),
): Promise<{ rows: ClockRow[]; total: number }> {
  const found = await Promise.all(
    scopes.map(async (scope) => {
      const query = { ...slice, ...scope };
      const page = await deps.store.queryDeadlines({ ...query, limit, fields: 'list' });
      const total =
        page.nextCursor === undefined
          ? page.deadlines.length
          : await deps.store.countDeadlines(query);
      return { deadlines: page.deadlines, total };
    }),
  );
  return {
    rows: found
      .flatMap((f) => f.deadlines)
      .map((d) => row(d, deps))
      .sort(byDue)
      .slice(0, limit),
    total: found.reduce((sum, f) => sum + f.total, 0),
  };
}

async function section(
  id: Section['id'],
  title: string,
  viewer: Viewer,
  slice: Slice,
  deps: ManagerDeps,
): Promise<Section> {
  const { rows, total } = await listed(viewer, slice, SECTION_ROWS, deps);
  return { id, title, rows, total };
}

/** A reminder that reached nobody it was meant for (the fallback contact was told instead). */
export interface UnroutedRow {
  caseId: string;
  title: string;
  team: string;
  at: string;
  /** What was missing, e.g. "no-worker-in-role (lado)". */
  missing: string;
  /** The events that would fix it. */
  fix: string;
  fallback: string;
}

export interface Dashboard {
  now: string;
  sections: Section[];
  unrouted: UnroutedRow[];
  unroutedTotal: number;
}

/** Reminders that reached nobody in the last `BREACHED_DAYS`, newest first, that the viewer may see. */
async function unroutedRows(viewer: Viewer, now: Date, deps: ManagerDeps): Promise<UnroutedRow[]> {
  const store = deps.read.unrouted;
  if (store === undefined) return [];
  const since = new Date(now.getTime() - BREACHED_DAYS * DAY_MS);
  const acrossTeams = viewer.roles.includes('head-of-service') || viewer.roles.includes('edt');
  const pages = await Promise.all(
    (acrossTeams ? [undefined] : viewer.teams).map(async (team) => {
      const found: UnroutedReminder[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.queryUnrouted({ since, team, limit: 500, cursor });
        found.push(...page.reminders);
        cursor = page.nextCursor;
      } while (cursor !== undefined && found.length < 2000);
      return found;
    }),
  );
  return pages
    .flat()
    .filter((u) => maySeeClock(viewer, u.team, deps.rules.get(u.rule)?.urgent ?? false))
    .sort((a, b) => b.at.getTime() - a.at.getTime())
    .map((u) => ({
      caseId: u.caseId,
      title: titleOf(u.rule, deps),
      team: u.team,
      at: u.at.toISOString(),
      missing: u.missing
        .map((m) => `${m.reason.replaceAll('-', ' ')}${m.role === undefined ? '' : ` (${m.role})`}`)
        .join('; '),
      fix: u.fix.join('; '),
      fallback: u.fallback,
    }));
}

/**
 * `/app`: breached (not yet met, due in the last 4 weeks), overdue, due this week, due next
 * week, each by due time, oldest first; and the reminders that reached nobody.
 */
export async function dashboard(viewer: Viewer, deps: ManagerDeps): Promise<Dashboard> {
  const now = deps.clock.now();
  const nextWeek = new Date(startOfWeek(now).getTime() + 7 * DAY_MS);
  const weekAfter = new Date(startOfWeek(nextWeek).getTime() + 7 * DAY_MS);
  const since = new Date(now.getTime() - BREACHED_DAYS * DAY_MS);
  const [breached, overdue, thisWeek, following, unrouted] = await Promise.all([
    section(
      'breached',
      'Breached and not yet met',
      viewer,
      { status: 'breached', dueFrom: since, dueBefore: now, notMet: true },
      deps,
    ),
    section('overdue', 'Overdue', viewer, { status: 'open', dueBefore: now }, deps),
    section(
      'this-week',
      'Due this week',
      viewer,
      { status: 'open', dueFrom: now, dueBefore: nextWeek },
      deps,
    ),
    section(
      'next-week',
      'Due next week',
      viewer,
      { status: 'open', dueFrom: nextWeek, dueBefore: weekAfter },
      deps,
    ),
    unroutedRows(viewer, now, deps),
  ]);
  return {
    now: now.toISOString(),
    sections: [breached, overdue, thisWeek, following],
    unrouted: unrouted.slice(0, SECTION_ROWS),
    unroutedTotal: unrouted.length,
  };
}

/** A worker on the case, named from the directory. */
export interface WorkerRow {
  role: string;
  personId: string;
  name?: string;
}

/** What happened to a reminder, from the case's audit trail. */
export interface ReminderEvent {
  at: string;
  kind: string;
  deadlineId?: string;
  reminderId?: string;
  personId?: string;
  name?: string;
  /** The person's role on the case, or how it reached them (EDT on call, delegate). */
  role?: string;
  channel?: string;
  reason?: string;
}

export interface CasePage {
  caseId: string;
  team: string;
  status: string;
  openedAt: string;
  closedAt?: string;
  workers: WorkerRow[];
  deadlines: (ClockRow & { startedAt?: string; explain: string[]; lateness?: string })[];
  planned: Awaited<ReturnType<typeof getCaseReminders>>['reminders'];
  reminderEvents: ReminderEvent[];
  audit: AuditRecord[];
  names: Record<string, string>;
}

const REMINDER_KINDS = new Set([
  'reminder-sent',
  'reminder-failed',
  'reminder-deferred',
  'reminder-rerouted',
  'reminder-unrouted',
]);

/** `/app/cases/{caseId}`: deadlines with their explanations, reminders, the audit trail. */
export async function casePage(
  viewer: Viewer,
  caseId: string,
  deps: ManagerDeps,
): Promise<CasePage> {
  const stored = await deps.store.loadCase(caseId);
  if (stored === undefined) throw new NotFoundError(`no case ${caseId}`);
  const aggregate = stored.aggregate;
  const visible =
    maySeeClock(viewer, aggregate.team, false) ||
    aggregate.deadlines.some((d) =>
      maySeeClock(viewer, d.team, deps.rules.get(d.rule)?.urgent ?? false),
    );
  if (!visible) throw new ForbiddenError(`case ${caseId} is not one your roles cover`);
  const [deadlines, planned, audit, people] = await Promise.all([
    deps.store.listDeadlines(caseId),
    getCaseReminders(caseId, deps.read),
    deps.store.listAudit(caseId),
    deps.people(),
  ]);
  const names = Object.fromEntries(people.map((p) => [p.personId, p.name]));
  const roleOf = (personId: string) => aggregate.workers.find((w) => w.personId === personId)?.role;
  const reminderEvents = audit
    .filter((a) => REMINDER_KINDS.has(a.kind))
    .map((a): ReminderEvent => {
      const detail = (a.detail ?? {}) as Record<string, unknown>;
      const personId = detail.personId as string | undefined;
      const via = detail.via as string | undefined;
      const role =
        via === 'edt'
          ? 'EDT manager on call'
          : via === 'delegate'
            ? `delegate of ${names[detail.forPersonId as string] ?? detail.forPersonId}`
            : personId === undefined
              ? (detail.role as string | undefined)
              : (roleOf(personId) ?? (detail.role as string | undefined));
      return {
        at: a.at,
        kind: a.kind.replace('reminder-', ''),
        ...(a.deadlineId === undefined ? {} : { deadlineId: a.deadlineId }),
        ...(typeof detail.reminderId === 'string' ? { reminderId: detail.reminderId } : {}),
        ...(personId === undefined ? {} : { personId }),
        ...(personId !== undefined && names[personId] !== undefined
          ? { name: names[personId] }
          : {}),
        ...(role === undefined ? {} : { role }),
        ...(typeof detail.channel === 'string' ? { channel: detail.channel } : {}),
        ...(typeof detail.reason === 'string' ? { reason: detail.reason } : {}),
      };
    });
  return {
    caseId,
    team: aggregate.team,
    status: aggregate.status,
    openedAt: aggregate.openedAt.toISOString(),
    ...(aggregate.closedAt === undefined ? {} : { closedAt: aggregate.closedAt.toISOString() }),
    workers: aggregate.workers.map((w) => ({
      role: w.role,
      personId: w.personId,
      ...(names[w.personId] === undefined ? {} : { name: names[w.personId] }),
    })),
    deadlines: deadlines.map((d) => ({
      ...row(d, deps),
      ...(d.startedAt === undefined ? {} : { startedAt: d.startedAt }),
      explain: d.explain,
      ...(d.lateness === undefined
        ? {}
        : { lateness: `${d.lateness.amount} ${d.lateness.unit.replace('-', ' ')}` }),
    })),
    planned: planned.reminders,
    reminderEvents,
    audit,
    names,
  };
}

export interface OnCallPage {
  now: string;
  onCall?: Person;
  shifts: { personId: string; name: string; from: string; to: string }[];
  urgent: ClockRow[];
  /** Urgent clocks open now in all (beyond `URGENT_ROWS` they are counted, not listed). */
  urgentTotal: number;
  alerts: {
    at: string;
    caseId: string;
    rule: string;
    title: string;
    team: string;
    dueAt: string;
  }[];
}

/** How far ahead the on-call page looks for urgent clocks open now. */
export const URGENT_AHEAD_DAYS = 14;
/** Urgent clocks listed on the on-call page. */
export const URGENT_ROWS = 200;

/** The urgent clocks among those the viewer may see (the on-call page's). */
function urgentScopes(viewer: Viewer, deps: Pick<ManagerDeps, 'rules'>): Scope[] {
  const urgent = deps.rules.rules.filter((r) => r.urgent).map((r) => r.id);
  if (isHead(viewer) || viewer.roles.includes('edt')) return [{ rules: urgent }];
  return viewer.teams.map((team) => ({ team, rules: urgent }));
}

/**
 * `/app/on-call`: who is on call now and for the next 7 days, the urgent clocks open now
 * (overdue or due within 14 days) and the EDT alerts of the last 24 hours.
 */
export async function onCallPage(viewer: Viewer, deps: ManagerDeps): Promise<OnCallPage> {
  const now = deps.clock.now();
  const [onCallId, shifts, open, alerts, people] = await Promise.all([
    deps.directory.onCallAt(now),
    shiftsBetween(deps.directory, now, new Date(now.getTime() + 7 * DAY_MS)),
    listed(
      viewer,
      { status: 'open', dueBefore: new Date(now.getTime() + URGENT_AHEAD_DAYS * DAY_MS) },
      URGENT_ROWS,
      deps,
      urgentScopes(viewer, deps),
    ),
    deps.alerts.alertsSince(new Date(now.getTime() - DAY_MS)),
    deps.people(),
  ]);
  const byId = new Map(people.map((p) => [p.personId, p]));
  const onCall = onCallId === undefined ? undefined : byId.get(onCallId);
  return {
    now: now.toISOString(),
    ...(onCall === undefined ? {} : { onCall }),
    shifts: shifts
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((s) => ({ ...s, name: byId.get(s.personId)?.name ?? s.personId })),
    urgent: open.rows,
    urgentTotal: open.total,
    alerts: alerts
      .filter((a) => maySeeClock(viewer, a.team, true))
      .sort((a, b) => b.alertedAt.getTime() - a.alertedAt.getTime())
      .map((a) => ({
        at: a.alertedAt.toISOString(),
        caseId: a.caseId,
        rule: a.rule,
        title: titleOf(a.rule, deps),
        team: a.team,
        dueAt: a.dueAt.toISOString(),
      })),
  };
}

export interface PeoplePage {
  now: string;
  people: (Person & {
    managerName?: string;
    away: { from: string; to: string; delegateId: string; delegateName: string }[];
  })[];
  rota: { personId: string; name: string; from: string; to: string }[];
}

/** `/app/people`: people with their contact details, away periods and delegates; 14 days of rota. */
export async function peoplePage(deps: ManagerDeps): Promise<PeoplePage> {
  const now = deps.clock.now();
  const [people, away, rota] = await Promise.all([
    deps.people(),
    deps.directory.awayEndingAfter(now),
    shiftsBetween(deps.directory, now, new Date(now.getTime() + 14 * DAY_MS)),
  ]);
  const name = (id: string) => people.find((p) => p.personId === id)?.name ?? id;
  return {
    now: now.toISOString(),
    people: [...people]
      .sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId))
      .map((p) => ({
        ...p,
        ...(p.managerId === undefined ? {} : { managerName: name(p.managerId) }),
        away: away
          .filter((a) => a.personId === p.personId)
          .sort((a, b) => a.from.localeCompare(b.from))
          .map((a) => ({
            from: a.from,
            to: a.to,
            delegateId: a.delegateId,
            delegateName: name(a.delegateId),
          })),
      })),
    rota: rota
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((s) => ({ ...s, name: name(s.personId) })),
  };
}
