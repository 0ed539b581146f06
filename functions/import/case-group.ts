/**
 * A stretch of consecutive rows of one case, imported in as few round trips as it can take:
 *
 * 1. One batched read (`ImportStore.readCase`): the rows' event records, the case, and the
 *    version whose timers the import last saw set.
 * 2. Every event already recorded with the same body, and the case still at the version whose
 *    timers were set: the rows are `unchanged`, with the answers their first import got —
 *    nothing else is asked of the store (a daily snapshot's unchanged rows cost that read).
 * 3. Otherwise the rows go through the ingest use case in a `CaseSession` (everything held in
 *    memory), then are written together: the commits in one transaction, the timers' last
 *    changes (all of the plan when the case was not known to be settled: as a redelivery
 *    would), then the reminder audit lines with the case marked settled.
 * 4. When the transaction cannot be made (the case moved on meanwhile — a webhook — an event id
 *    taken, too many items, the table busy), nothing of it was written: the rows are imported
 *    one at a time instead, exactly as before. Timers that cannot be set after the commit
 *    refuse the stretch's rows with the use case's own `TimerSyncError` (importing them again
 *    sets them: the case is not marked settled).
 */
import { peopleNamed } from '#functions/ingest/event-warnings.js';
import { hashOf } from '#functions/ingest/ingest-event.js';
import {
  ContentionError,
  EventAlreadyRecordedError,
  TimerSyncError,
  VersionConflictError,
} from '#kernel/errors.js';
import { CommitTooLargeError } from '#platform/dynamodb/case-commit.js';
import type { EventAccepted, EventWarning } from '#schemas/responses.js';
import { applyUnit, idOf, refusal, type Unit, type WriteFlag, watchWrites } from './apply-row.js';
import { CaseSession } from './case-session.js';
import type { CsvShape } from './csv-shape.js';
import type { ImportDeps, RowOutcome } from './import-file.js';
import type { CaseRead, ImportStore } from './ports.js';

export interface GroupContext {
  deps: ImportDeps;
  store: ImportStore;
  shape: CsvShape | undefined;
}

/** Rows of one case, consecutive in the file. */
export interface CaseStretch {
  caseId: string;
  units: Unit[];
}

export async function importStretch(
  stretch: CaseStretch,
  ctx: GroupContext,
): Promise<RowOutcome[]> {
  const ids = [...new Set(stretch.units.flatMap((u) => u.ids))];
  const reading = ctx.store.readCase(stretch.caseId, ids);
  // Asked in the same turn as the case: a store that batches its reads reads them together,
  // and the answers' warnings find them known.
  for (const body of stretch.units.flatMap((u) => u.bodies))
    for (const { personId } of peopleNamed(body))
      ctx.deps.people?.getPerson(personId).catch(() => undefined);
  const read = await reading;
  const unchanged = alreadyImported(stretch, read);
  if (unchanged !== undefined) return unchanged;

  const session = new CaseSession(stretch.caseId, read, ctx.deps, ids);
  const outcomes: RowOutcome[] = [];
  for (const unit of stretch.units)
    outcomes.push(await applyUnit(unit, session.deps, session.written, ctx.shape));
  if (session.commits.length > 0) {
    try {
      await ctx.store.commitCases(session.commits);
    } catch (error) {
      if (!couldNotCommit(error)) throw error;
      return oneAtATime(stretch, ctx);
    }
  }
  try {
    // A replayed row re-set its timers, as a redelivery does: the case is settled after it too.
    const replayed = outcomes.some((o) => o.status === 'unchanged');
    await setTimers(session, read, ctx, replayed);
  } catch (error) {
    const failed = new TimerSyncError('timers could not be synchronised', { cause: error });
    return outcomes.map((o) =>
      o.status === 'refused' ? o : refusal(o.line, o.eventIds.at(-1), failed, ctx.shape),
    );
  }
  return outcomes;
}

/** The rows one at a time through the use case on the real store (each event its own writes). */
export async function oneAtATime(
  stretch: Pick<CaseStretch, 'units'>,
  ctx: GroupContext,
): Promise<RowOutcome[]> {
  const flag: WriteFlag = { wrote: false };
  const deps = watchWrites(ctx.deps, flag);
  const outcomes: RowOutcome[] = [];
  for (const unit of stretch.units) outcomes.push(await applyUnit(unit, deps, flag, ctx.shape));
  return outcomes;
}

/** The rows' outcomes when every event is recorded with the same body and the case is settled. */
function alreadyImported(stretch: CaseStretch, read: CaseRead): RowOutcome[] | undefined {
  if (read.stored === undefined || read.settledVersion !== read.stored.version) return undefined;
  const outcomes: RowOutcome[] = [];
  for (const { row, bodies } of stretch.units) {
    const eventIds: string[] = [];
    const caseIds = new Set<string>();
    const warnings: EventWarning[] = [];
    for (const body of bodies) {
      const id = idOf(body);
      const recorded = id === undefined ? undefined : read.records.get(id);
      if (id === undefined || recorded === undefined || recorded.bodyHash !== hashOf(body))
        return undefined;
      const accepted = recorded.answer.body as Partial<EventAccepted>;
      if (typeof accepted.caseId === 'string') caseIds.add(accepted.caseId);
      warnings.push(...(accepted.warnings ?? []));
      eventIds.push(id);
    }
    outcomes.push({
      line: row.line,
      status: 'unchanged',
      eventIds,
      caseIds: [...caseIds],
      warnings,
    });
  }
  return outcomes;
}

/** The transaction was not written and can be tried again event by event. */
function couldNotCommit(error: unknown): boolean {
  return (
    error instanceof VersionConflictError ||
    error instanceof EventAlreadyRecordedError ||
    error instanceof CommitTooLargeError ||
    error instanceof ContentionError
  );
}

/**
 * The scheduler told each timer's last change (and the whole plan when the timers were not
 * known to be set), then the audit lines written and the case marked settled at its version.
 */
async function setTimers(
  session: CaseSession,
  read: CaseRead,
  ctx: GroupContext,
  replayed: boolean,
): Promise<void> {
  const { cancel, schedule } = session.timerChanges();
  const final = session.stored;
  const changed =
    session.commits.length > 0 || cancel.length > 0 || schedule.length > 0 || replayed;
  if (!changed || final === undefined) return;
  if (!session.settledBefore) {
    const named = new Set([...cancel, ...schedule.map((t) => t.name)]);
    const plan = ctx.deps.engine.planTimers(
      final.aggregate,
      ctx.deps.clock.now(),
      final.serialized,
    );
    schedule.push(...plan.filter((t) => !named.has(t.name)));
  }
  if (cancel.length > 0) await ctx.deps.scheduler.cancel(cancel);
  if (schedule.length > 0) await ctx.deps.scheduler.schedule(schedule);
  const mark = final.version === read.settledVersion ? undefined : final.version;
  if (session.audit.length > 0 || mark !== undefined)
    await ctx.store.settle(session.caseId, session.audit, mark);
}
