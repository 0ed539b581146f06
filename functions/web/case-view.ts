/** The case page's view model (`/app/cases/{caseId}`). */

import { getCaseReminders } from '#functions/read/read-queries.js';
import { maySeeClock, type Viewer } from '#kernel/access.js';
import { ForbiddenError, NotFoundError } from '#kernel/errors.js';
import type { AuditRecord } from '#kernel/records.js';
import { type DeliveryRow, deliveryRows } from '#kernel/reminders/delivery-view.js';
import { type ClockRow, clockRow, type ManagerDeps } from './manager-views.js';

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
  /** Whether each message reached its person (`delivery.njk`). */
  delivery: DeliveryRow[];
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
      ...clockRow(d, deps),
      ...(d.startedAt === undefined ? {} : { startedAt: d.startedAt }),
      explain: d.explain,
      ...(d.lateness === undefined
        ? {}
        : { lateness: `${d.lateness.amount} ${d.lateness.unit.replace('-', ' ')}` }),
    })),
    planned: planned.reminders,
    reminderEvents,
    delivery: deliveryRows(audit, names),
    audit,
    names,
  };
}
