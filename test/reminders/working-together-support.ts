/** Set-up shared by the Working Together reminder tests. */
import type { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { Timer } from '#kernel/timers.js';
import type { CaseEvent } from '#schemas/events.js';

export const AUTHORITY = {
  authority: 'Example Council',
  division: 'england-and-wales' as const,
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
};

let seq = 0;
export const ev = (type: string, occurredAt: string, data: Record<string, unknown>) =>
  ({ id: `W-${++seq}`, type, occurredAt, caseId: 'C-1001', data }) as CaseEvent;

/** The case after `events`, each applied at its own instant by `engine`. */
export function caseAfter(
  engine: ReturnType<typeof makeCaseEngine>,
  events: CaseEvent[],
): CaseAggregate {
  let aggregate: CaseAggregate | undefined;
  for (const e of events)
    aggregate = engine.applyEvent(aggregate, e, new Date(e.occurredAt)).aggregate;
  return aggregate as CaseAggregate;
}

/** `step@fireAt` of the case's reminder timers, in firing order. */
export const reminders = (timers: Timer[]) =>
  timers
    .filter((t) => t.payload.kind === 'reminder')
    .map((t) => `${t.payload.deadlineId} ${t.payload.step}@${t.fireAt.toISOString()}`);

export const WORKERS = [
  { personId: 'P-0001', role: 'allocated-worker' },
  { personId: 'P-0002', role: 'team-manager' },
];
