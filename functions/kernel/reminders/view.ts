/** The read view of a case's reminders: what `GET /v1/cases/{caseId}/reminders` lists. */
import type { Calendar } from '../calendar/index.js';
import { FALLBACK_PERSON_ID, reminderId } from '../ids.js';
import { breachRepeat } from './breach-steps.js';
import { isRefusedSend } from './delivery.js';
import { planSteps } from './planning.js';
import { DEFAULT_REMINDER_PLANS } from './plans.js';
import { isUrgent, type PlannedStep, stepRecipients } from './steps.js';
import type { ReminderDeadline, ReminderPlans, ReminderStep } from './types.js';

/** One reminder step as `GET /v1/cases/{caseId}/reminders` shows it. */
export interface PlannedReminderView {
  deadlineId: string;
  rule: string;
  reminderId: string;
  step: string;
  fireAt: string;
  late: boolean;
  urgent: boolean;
  /** See `PlannedStep.state`. */
  state: PlannedStep['state'];
  /** Roles (and escalation level) the step goes to; routing picks the people at fire time. */
  to: { role: string; escalate: 0 | 1 | 2 }[];
  /** The step itself (for routing it as it would go). */
  planStep: ReminderStep;
}

/** The step keys of the breach's daily repeats already planned, per deadline (from the audit). */
export type RepeatsPlanned = ReadonlyMap<string, readonly string[]>;

/**
 * The reminders of a case's open and breached deadlines (and a supervision's withdrawn
 * invitation), in firing order: steps that fire, steps skipped because their time passed
 * before the clock existed, an open clock's breach step, and the links of a breach's daily
 * repeat planned so far (`repeats`; only the first is in the plan, each firing plans the next).
 */
export function listPlannedReminders(
  aggregate: { status: string; deadlines: readonly ReminderDeadline[] },
  calendar: Calendar,
  plans: ReminderPlans = DEFAULT_REMINDER_PLANS,
  repeats: RepeatsPlanned = new Map(),
): PlannedReminderView[] {
  if (aggregate.status === 'closed') return [];
  return aggregate.deadlines
    .flatMap((d) => {
      const plan = plans[d.rule];
      if (plan === undefined) return [];
      const steps = planSteps(d, calendar, plan);
      for (const key of repeats.get(d.id) ?? []) {
        const n = Number(/^br([0-9]+)$/.exec(key)?.[1] ?? Number.NaN);
        if (!Number.isInteger(n) || steps.some((s) => s.step.key === key)) continue;
        const link = breachRepeat(d, calendar, plan, n);
        if (link !== undefined && d.status === 'breached' && d.metAt === undefined)
          steps.push({ ...link, state: 'fires' });
      }
      return steps.map((p) => ({
        deadlineId: d.id,
        rule: d.rule,
        reminderId: reminderId(d, p.step.key),
        step: p.step.key,
        fireAt: p.fireAt.toISOString(),
        late: p.late,
        urgent: isUrgent(p.step, plan, d),
        state: p.state,
        to: stepRecipients(p.step, plan, d).map((r) => ({
          role: r.role,
          escalate: r.escalate ?? 0,
        })),
        planStep: p.step,
      }));
    })
    .sort((a, b) => (a.fireAt < b.fireAt ? -1 : a.fireAt > b.fireAt ? 1 : 0));
}

/** What happened to a reminder, from its audit lines. */
export type ReminderStatus = 'planned' | 'sent' | 'skipped' | 'deferred' | 'failed' | 'unrouted';

/** An audit line as the store reads it back. */
export interface ReminderAuditLine {
  kind: string;
  deadlineId?: string;
  detail?: unknown;
}

/**
 * A reminder's real state: `sent` once it reached someone it was meant for; `unrouted` when
 * it reached nobody it was meant for (the fallback contact was told); `failed` when its sends
 * failed; `deferred` while held to a recipient's opening; else `skipped` (its time passed
 * before the clock existed) or `planned`.
 */
export function reminderStatus(
  view: Pick<PlannedReminderView, 'reminderId' | 'state'>,
  lines: readonly ReminderAuditLine[],
): ReminderStatus {
  const mine = lines.filter(
    (l) => (l.detail as { reminderId?: unknown } | undefined)?.reminderId === view.reminderId,
  );
  const has = (kind: string, test: (d: Record<string, unknown>) => boolean = () => true) =>
    mine.some((l) => l.kind === kind && test((l.detail ?? {}) as Record<string, unknown>));
  // Its messages went, but none reached anyone it was meant for: the duty inbox was told.
  if (has('reminder-undelivered', (d) => d.outcome === 'fallback')) return 'unrouted';
  if (has('reminder-sent', (d) => d.personId !== FALLBACK_PERSON_ID)) return 'sent';
  if (has('reminder-unrouted')) return 'unrouted';
  // A send that failed (not a routing gap: those are `unrouted`, or leave others reached).
  if (has('reminder-failed', (d) => isRefusedSend('reminder-failed', d))) return 'failed';
  if (has('reminder-deferred')) return 'deferred';
  // A step the breach ended that never went (superseded by the breach step) is skipped too.
  return view.state === 'skipped' || view.state === 'past' ? 'skipped' : 'planned';
}

/** The breach repeats planned per deadline, read from the case's audit lines. */
export function repeatsPlanned(lines: readonly ReminderAuditLine[]): RepeatsPlanned {
  const out = new Map<string, string[]>();
  for (const l of lines) {
    if (l.kind !== 'reminder-planned' || l.deadlineId === undefined) continue;
    const step = (l.detail as { step?: unknown } | undefined)?.step;
    if (typeof step !== 'string' || !/^br[0-9]+$/.test(step)) continue;
    const known = out.get(l.deadlineId) ?? [];
    if (!known.includes(step)) out.set(l.deadlineId, [...known, step]);
  }
  return out;
}
