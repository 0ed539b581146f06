/**
 * Recomputes every open case after a newer bank-holiday feed or a rule edit (`npx timescales
 * recompute`): cases nobody touches must move too. Pages through the open deadlines (gsi1
 * `DEADLINES#open`) to find the distinct cases first (so the index it reads is not the one it
 * is rewriting), then per case: load, `recompute`, commit with the store's optimistic version
 * check (a conflict reloads and retries), and move its timers through the `Scheduler`.
 */

import type { BoundEngine } from '#kernel/engine/bound.js';
import { VersionConflictError } from '#kernel/errors.js';
import type { CaseStore, Clock, ReminderAudit, Scheduler } from '#kernel/ports.js';
import { applyPlanChange } from '#platform/replace-timers.js';

export interface RecomputeDeps {
  store: CaseStore;
  engine: Pick<BoundEngine, 'recompute' | 'planTimers'>;
  scheduler: Scheduler;
  clock: Clock;
  /** Where planned/cancelled reminder lines go (the case's audit trail); absent: not audited. */
  reminderAudit?: ReminderAudit;
  log?: { warn(message: string, fields?: Record<string, unknown>): void };
  maxAttempts?: number;
  pageSize?: number;
}

export interface RecomputeSummary {
  /** Distinct cases with an open deadline. */
  cases: number;
  /** Cases whose recompute changed something (committed, timers re-synced). */
  recomputed: number;
  unchanged: number;
  failed: number;
}

export async function recomputeOpenCases(deps: RecomputeDeps): Promise<RecomputeSummary> {
  const caseIds = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await deps.store.queryDeadlines({
      status: 'open',
      limit: deps.pageSize ?? 500,
      cursor,
    });
    for (const d of page.deadlines) caseIds.add(d.caseId);
    cursor = page.nextCursor;
  } while (cursor !== undefined);

  const summary: RecomputeSummary = { cases: caseIds.size, recomputed: 0, unchanged: 0, failed: 0 };
  for (const caseId of caseIds) {
    try {
      summary[(await recomputeCase(caseId, deps)) ? 'recomputed' : 'unchanged']++;
    } catch (error) {
      summary.failed++;
      deps.log?.warn('case could not be recomputed', {
        caseId,
        error: (error as Error).name,
        message: (error as Error).message,
      });
    }
  }
  return summary;
}

/** Recomputes one case; true when it changed. */
export async function recomputeCase(caseId: string, deps: RecomputeDeps): Promise<boolean> {
  const maxAttempts = deps.maxAttempts ?? 12;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.store.loadCase(caseId);
    if (stored === undefined) return false;
    const now = deps.clock.now();
    const result = deps.engine.recompute(stored.aggregate, now);
    // Only a due time that moved (or a clock that fell due) is written: a case whose times
    // stand keeps its store version, and takes the new calendar and rule versions with its
    // next commit (the bound engine recomputes it on every touch until then, without I/O).
    if (result.aggregate === stored.aggregate || result.audit.length === 0) return false;
    try {
      await deps.store.commitCase({
        caseId,
        expectedVersion: stored.version,
        before: stored.aggregate,
        after: result.aggregate,
        audit: result.audit,
        now,
      });
    } catch (error) {
      if (!(error instanceof VersionConflictError) || attempt >= maxAttempts) throw error;
      await new Promise((r) => setTimeout(r, Math.min(250, 10 * 2 ** attempt) * Math.random()));
      continue;
    }
    const old = deps.engine.planTimers(stored.aggregate, now);
    const next = deps.engine.planTimers(result.aggregate, now);
    await applyPlanChange(old, next, deps.scheduler, deps.reminderAudit, stored.version + 1, now);
    return true;
  }
}
