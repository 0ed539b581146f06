/**
 * What an accepted event leaves missing for its reminders: the `warnings` of the 202 answer.
 * Events are accepted all the same (delivery order is not guaranteed: the missing person may
 * be on the way); the answer says what would otherwise fail silently at fire time.
 *
 * - `no-worker-in-role`: a clock is running and no worker on the case holds a role its
 *   reminders go to (every stage of a ladder, and its breach step, included);
 * - `unknown-person`: the event names a person the directory does not hold;
 * - `no-contact`: a person the reminders need has no email address, or an EDT manager put on
 *   the rota has no phone for the urgent SMS;
 * - `outcome-missing`: a referral decision names no outcome, so the referral's assessment clock
 *   keeps running (early help and no further action would have cancelled it).
 *
 * Computed before the event is committed and stored in its answer, so every redelivery gets
 * the same warnings byte for byte. Directory reads happen only for events that name people.
 */
import type { CaseAggregate } from '#kernel/model.js';
import type { Person } from '#kernel/people.js';
import type { Directory } from '#kernel/ports.js';
import { breachOf } from '#kernel/reminders/plans.js';
import { stepRecipients } from '#kernel/reminders/steps.js';
import type { ReminderPlan, ReminderPlans } from '#kernel/reminders/types.js';
import type { RuleSet } from '#kernel/rules/index.js';
import type { CaseEvent, DirectoryEvent } from '#schemas/events.js';
import type { EventWarning } from '#schemas/responses.js';

export interface WarningDeps {
  /** Directory reads for the people an event names; absent: no person is checked. */
  people?: Pick<Directory, 'getPerson'> | undefined;
  plans: ReminderPlans;
  /** The rules (a ladder's later stages name who they escalate to). */
  rules?: Pick<RuleSet, 'get'> | undefined;
}

/** The warnings of a case event, given the case as the event leaves it. */
export async function caseEventWarnings(
  event: CaseEvent,
  after: CaseAggregate,
  deps: WarningDeps,
): Promise<EventWarning[]> {
  const warnings: EventWarning[] = [];
  if (event.type === 'referral.decided' && event.data.outcome === undefined) {
    const id = event.data.referralId;
    warnings.push({
      code: 'outcome-missing',
      field: 'data.outcome',
      detail: `the decision on referral ${id} names no outcome, so its assessment clock keeps running; if no assessment is owed, send referral.decided for ${id} (a new event id) with outcome early-help or no-further-action`,
    });
  }
  const workersField =
    (event.type === 'case.opened' || event.type === 'case.updated') &&
    event.data.workers !== undefined
      ? 'data.workers'
      : undefined;
  const needed = rolesNeeded(after, deps);
  for (const [role, deadlineIds] of needed) {
    if (after.workers.some((w) => w.role === role)) continue;
    warnings.push({
      code: 'no-worker-in-role',
      ...(workersField === undefined ? {} : { field: workersField }),
      detail: `no worker holds role ${role}, which the reminders of ${deadlineIds.join(', ')} go to; send case.updated with a worker in role ${role}`,
    });
  }
  if (deps.people === undefined) return warnings;
  const seen = new Map<string, Person | undefined>();
  for (const { personId, field } of peopleNamed(event)) {
    if (!seen.has(personId)) seen.set(personId, await deps.people.getPerson(personId));
    const person = seen.get(personId);
    if (person === undefined) {
      warnings.push(unknownPerson(personId, field));
    } else if (person.email === '') {
      warnings.push({
        code: 'no-contact',
        field,
        detail: `${personId} has no email address for the reminders; send person.upserted for ${personId} with an email`,
      });
    }
  }
  return warnings;
}

/**
 * The people a case event names, whose directory entries its answer is warned about. Takes a
 * body not yet validated too (an import reads them ahead): what is not a person id is skipped.
 */
export function peopleNamed(body: unknown): { personId: string; field: string }[] {
  if (typeof body !== 'object' || body === null) return [];
  const event = body as { type?: unknown; data?: unknown };
  const data = (event.data ?? {}) as { workers?: unknown; personId?: unknown };
  const named: { personId: string; field: string }[] = [];
  if (
    (event.type === 'case.opened' || event.type === 'case.updated') &&
    Array.isArray(data.workers)
  )
    data.workers.forEach((w: { personId?: unknown } | null, i) => {
      if (typeof w?.personId === 'string')
        named.push({ personId: w.personId, field: `data.workers.${i}.personId` });
    });
  if (event.type === 'building-bridges.started' && typeof data.personId === 'string')
    named.push({ personId: data.personId, field: 'data.personId' });
  return named;
}

/** The warnings of a directory event (people it names that the directory does not hold). */
export async function directoryEventWarnings(
  event: DirectoryEvent,
  deps: Pick<WarningDeps, 'people'>,
): Promise<EventWarning[]> {
  const people = deps.people;
  if (people === undefined) return [];
  const warnings: EventWarning[] = [];
  const check = async (personId: string, field: string) => {
    const person = await people.getPerson(personId);
    if (person === undefined) warnings.push(unknownPerson(personId, field));
    return person;
  };
  switch (event.type) {
    case 'person.upserted':
      if (event.data.managerId !== undefined) await check(event.data.managerId, 'data.managerId');
      break;
    case 'person.away':
      await check(event.data.personId, 'data.personId');
      await check(event.data.delegateId, 'data.delegateId');
      break;
    case 'rota.shift': {
      const person = await check(event.data.personId, 'data.personId');
      if (person !== undefined && person.phone === undefined) {
        warnings.push({
          code: 'no-contact',
          field: 'data.personId',
          detail: `${event.data.personId} has no phone number for the urgent SMS an out-of-hours alert sends; send person.upserted for ${event.data.personId} with a phone`,
        });
      }
      break;
    }
  }
  return warnings;
}

function unknownPerson(personId: string, field: string): EventWarning {
  return {
    code: 'unknown-person',
    field,
    detail: `the directory holds no person ${personId}; send person.upserted for ${personId}`,
  };
}

/**
 * The roles the reminders of the case's running clocks go to, each with the clocks that need
 * it: every step of an open clock (a ladder's later stages too) and its breach; the steps
 * still to come of a breached clock not yet met.
 */
function rolesNeeded(after: CaseAggregate, deps: WarningDeps): Map<string, string[]> {
  const needed = new Map<string, string[]>();
  if (after.status === 'closed') return needed;
  const add = (role: string, deadlineId: string) => {
    const ids = needed.get(role);
    if (ids === undefined) needed.set(role, [deadlineId]);
    else if (!ids.includes(deadlineId)) ids.push(deadlineId);
  };
  for (const d of after.deadlines) {
    if (d.status !== 'open' && !(d.status === 'breached' && d.metAt === undefined)) continue;
    const plan = deps.plans[d.rule];
    if (plan === undefined) continue;
    // A breached clock still sends its overdue steps and its breach (to the people its last
    // step before overdue told); an open one everything.
    const lastBeforeOverdue = plan.steps.filter((s) => s.at.kind !== 'after').at(-1);
    const steps = plan.steps.filter(
      (s) => d.status === 'open' || s.at.kind === 'after' || s === lastBeforeOverdue,
    );
    for (const step of steps) {
      for (const spec of stepRecipients(step, plan, d)) add(spec.role, d.id);
    }
    const breachTo = breachOf(plan).to;
    if (breachTo !== 'plan') {
      const step = { key: 'breach', at: { kind: 'due' as const }, to: breachTo };
      for (const spec of stepRecipients(step, plan, d)) add(spec.role, d.id);
    }
    for (const role of laterStageRoles(d, plan, deps)) add(role, d.id);
  }
  return needed;
}

/** Who a ladder's later stages escalate to (the rule's ladder, else the plan's). */
function laterStageRoles(
  d: CaseAggregate['deadlines'][number],
  plan: ReminderPlan,
  deps: WarningDeps,
): string[] {
  if (d.status !== 'open' || d.stage === undefined) return [];
  const stages = deps.rules?.get(d.rule)?.stages;
  if (stages !== undefined) return stages.slice(d.stage).map((s) => s.escalateTo);
  return (plan.stageRecipients ?? []).slice(d.stage).flatMap((specs) => specs.map((s) => s.role));
}
