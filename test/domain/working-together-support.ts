/** Set-up shared by the Working Together engine tests. */
import type { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { CaseEvent } from '#schemas/events.js';

export const AUTHORITY = {
  authority: 'Example Council',
  division: 'england-and-wales' as const,
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/{caseId}' },
};

/** Delivers events through a bound engine, each at its own `now` unless given one. */
export function deliver(
  engine: ReturnType<typeof makeCaseEngine>,
  steps: { event: CaseEvent; now?: string }[],
  start?: CaseAggregate,
) {
  let aggregate = start;
  const audit = [];
  for (const { event, now } of steps) {
    const at = new Date(now ?? event.occurredAt);
    if (aggregate) aggregate = engine.advance(aggregate, at).aggregate;
    const result = engine.applyEvent(aggregate, event, at);
    aggregate = result.aggregate;
    audit.push(...result.audit);
  }
  return { aggregate: aggregate as CaseAggregate, audit };
}
