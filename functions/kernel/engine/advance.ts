/** Moves clocks forward to `now`: stage escalations and breaches that have fallen due. */
import { breach, escalate, hasNextStage, nextChangeAt, type Work } from './deadlines.js';

/**
 * Escalates every ladder deadline whose stage's working target has passed by `now` (as many
 * stages as have passed) and breaches every other open deadline whose statutory limit has
 * passed by `now`. Idempotent: a second call with the same `now` finds nothing due.
 */
export function advanceWork(w: Work, now: Date): void {
  for (const d of w.agg.deadlines) {
    if (d.status !== 'open') continue;
    const rule = w.ctx.rules.get(d.rule);
    while (d.status === 'open' && nextChangeAt(rule, d) <= now) {
      if (rule && hasNextStage(rule, d)) escalate(w, rule, d);
      else breach(w, d);
    }
  }
}
