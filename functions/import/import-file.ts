/**
 * Import a file of events or rows (`npx timescales import`, the drop bucket's Lambda).
 *
 * Input: the file's rows (`functions/import/records.ts`: NDJSON event bodies, CSV
 * records of one shape, or lines that could not be read) and the ingest dependencies.
 * Output: one outcome per row — imported, unchanged or refused — in file order, and a tally.
 *
 * 1. A CSV row becomes event envelopes through its shape, each with an id derived from its
 *    content (`draftId`), so importing the same file twice changes nothing; an NDJSON line
 *    is an envelope already (`apply-row.ts`).
 * 2. Rows of different cases are imported side by side (at most `concurrency` at once), each
 *    case's rows strictly in file order (`lanes.ts`); consecutive rows of one case go together,
 *    with one read and one transaction (`case-group.ts`). A directory row (a person, an away
 *    period, a shift) is imported on its own, after every row before it and before every row
 *    after it, so the warnings it changes are those one at a time would give. Whatever the
 *    interleaving, the store ends as one row at a time would leave it.
 * 3. Every event goes through `ingestEvent` — the webhook's own validation, rules,
 *    idempotency and answers. A refused row never stops the rows after it; any other error
 *    (the store unreachable) stops the import, which is safe to run again.
 * 4. Outcomes are handed on (`onRow`) in file order, so a checkpoint after a row means every
 *    row before it is done: resumed there, nothing is lost, and the rows already done beyond it
 *    are replayed (recorded: unchanged), never applied twice.
 * 5. With `snapshot`, the file is the complete list of open cases: the cases open in the
 *    store that no row named (refused rows count as named: a typo must not close a case)
 *    are listed, and with `closeMissing` closed by a `case.closed` event each.
 */

import { type IngestDeps, ingestEvent } from '#functions/ingest/ingest-event.js';
import { DomainError } from '#kernel/errors.js';
import { canonicalJson, fnv1a64 } from '#kernel/ids.js';
import { everyPage } from '#kernel/paging.js';
import type { EventWarning } from '#schemas/responses.js';
import { type Unit, unitOf } from './apply-row.js';
import { type CaseStretch, type GroupContext, importStretch, oneAtATime } from './case-group.js';
import type { CsvShape } from './csv-shape.js';
import { PortImportStore } from './import-store.js';
import { type Job, runOrdered } from './lanes.js';
import { DEFAULT_CONCURRENCY } from './limits.js';
import { PeopleCache } from './people-cache.js';
import type { ImportStore } from './ports.js';

/** A row as the file adapter yields it (see `SourceRow` there). */
export type ImportRow =
  | { kind: 'event'; line: number; body: unknown }
  | { kind: 'row'; line: number; record: Record<string, string> }
  | { kind: 'unreadable'; line: number; error: Error };

export type RowOutcome =
  | {
      line: number;
      status: 'imported' | 'unchanged';
      eventIds: string[];
      caseIds: string[];
      warnings: EventWarning[];
    }
  | {
      line: number;
      status: 'refused';
      /** The event refused (absent when the line could not be read at all). */
      eventId?: string;
      /** The column (CSV) or field (NDJSON) the problem names first, when it names one. */
      column?: string;
      error: unknown;
    };

export interface ImportTally {
  rows: number;
  imported: number;
  unchanged: number;
  refused: number;
}

export interface SnapshotResult {
  /** Open in the store, absent from the file. */
  missing: string[];
  /** Closed because of `closeMissing`. */
  closed: string[];
  /** Could not be closed (each with its error). */
  notClosed: { caseId: string; error: unknown }[];
}

export interface ImportDeps extends IngestDeps {
  /**
   * The import's batched reads and writes on the table. @default the ports' own calls, one at
   * a time (in-memory stores, a dry run's overlay)
   */
  importStore?: ImportStore;
}

/**
 * At most this many consecutive rows of one case share a read and a transaction: with their
 * event records and audit items, the case and what their clocks change, they fit DynamoDB's
 * 100 items a transaction (else they are committed one at a time).
 */
const STRETCH_ROWS = 12;

export interface ImportOptions {
  /** The CSV shape of `record` rows. */
  shape?: CsvShape | undefined;
  /** Hears each row's outcome, in file order (progress, reports, checkpoints). */
  onRow?: (outcome: RowOutcome) => void | Promise<void>;
  /** Asked after reading each row: true stops the import before it (a Lambda running out of time). */
  shouldStop?: () => boolean;
  /** Treat the file as the complete list of open cases. */
  snapshot?: boolean;
  /** With `snapshot`: close the open cases the file does not name. */
  closeMissing?: boolean;
  /** Rows of different cases imported at once. @default DEFAULT_CONCURRENCY */
  concurrency?: number;
}

export interface ImportResult {
  tally: ImportTally;
  /** The first line not processed when `shouldStop` stopped the import; undefined when done. */
  stoppedAtLine?: number;
  snapshot?: SnapshotResult;
}

export async function importRows(
  rows: AsyncIterable<ImportRow>,
  deps: ImportDeps,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const tally: ImportTally = { rows: 0, imported: 0, unchanged: 0, refused: 0 };
  const named = new Set<string>();
  const people = deps.people === undefined ? undefined : new PeopleCache(deps.people);
  const ctx: GroupContext = {
    deps: people === undefined ? deps : { ...deps, people },
    store: deps.importStore ?? new PortImportStore(deps),
    shape: options.shape,
  };
  const stop: { line?: number } = {};
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  await runOrdered(jobs(stretches(rows, options, named, stop), ctx, people), {
    concurrency,
    deliver: async (outcomes) => {
      for (const outcome of outcomes) {
        tally.rows++;
        tally[outcome.status]++;
        await options.onRow?.(outcome);
      }
    },
  });
  if (stop.line !== undefined) return { tally, stoppedAtLine: stop.line };
  if (options.snapshot !== true) return { tally };
  return {
    tally,
    snapshot: await reconcile(named, deps, options.closeMissing === true, concurrency),
  };
}

/** Rows of one lane that go together: one case's consecutive rows, or a single other row. */
interface Stretch {
  lane: Unit['lane'];
  units: Unit[];
}

/**
 * The file's rows as stretches, in file order: a row joins the one before when both are
 * about the same case (up to STRETCH_ROWS). Stops (setting `stop.line`) when `shouldStop`
 * says so after a row is read; that row is left for a later run.
 */
async function* stretches(
  rows: AsyncIterable<ImportRow>,
  options: ImportOptions,
  named: Set<string>,
  stop: { line?: number },
): AsyncGenerator<Stretch> {
  let pending: Stretch | undefined;
  for await (const row of rows) {
    if (options.shouldStop?.() === true) {
      stop.line = row.line;
      break;
    }
    const unit = unitOf(row, options.shape);
    for (const body of unit.bodies) {
      const caseId = (body as { caseId?: unknown } | null)?.caseId;
      if (typeof caseId === 'string') named.add(caseId);
    }
    if (
      pending !== undefined &&
      typeof unit.lane === 'string' &&
      pending.lane === unit.lane &&
      pending.units.length < STRETCH_ROWS
    ) {
      pending.units.push(unit);
      continue;
    }
    if (pending !== undefined) yield pending;
    pending = { lane: unit.lane, units: [unit] };
  }
  if (pending !== undefined) yield pending;
}

async function* jobs(
  source: AsyncIterable<Stretch>,
  ctx: GroupContext,
  people: PeopleCache | undefined,
): AsyncGenerator<Job<RowOutcome[]>> {
  for await (const stretch of source) {
    const { lane, units } = stretch;
    const run =
      typeof lane === 'string'
        ? () => importStretch({ caseId: lane, units } satisfies CaseStretch, ctx)
        : async () => {
            // A directory row runs alone: the people read before it may be what it changes.
            people?.clear();
            try {
              return await oneAtATime(stretch, ctx);
            } finally {
              people?.clear();
            }
          };
    yield { lane, ids: units.flatMap((u) => u.ids), run };
  }
}

async function reconcile(
  named: Set<string>,
  deps: ImportDeps,
  closeMissing: boolean,
  concurrency: number,
): Promise<SnapshotResult> {
  const missing: string[] = [];
  for await (const page of everyPage((cursor) => deps.store.listOpenCases({ limit: 500, cursor })))
    for (const caseId of page.caseIds) if (!named.has(caseId)) missing.push(caseId);
  const result: SnapshotResult = { missing, closed: [], notClosed: [] };
  if (!closeMissing) return result;
  const now = deps.clock.now().toISOString();
  async function* closes(): AsyncGenerator<Job<{ caseId: string; error?: DomainError }>> {
    for (const caseId of missing) {
      const event = { type: 'case.closed', caseId, occurredAt: now, data: {} };
      const id = `snapshot-close-${fnv1a64(canonicalJson(event))}`;
      yield {
        lane: caseId,
        run: async () => {
          try {
            await ingestEvent({ id, ...event }, deps);
            return { caseId };
          } catch (error) {
            if (!(error instanceof DomainError)) throw error;
            return { caseId, error };
          }
        },
      };
    }
  }
  await runOrdered(closes(), {
    concurrency,
    deliver: ({ caseId, error }) => {
      if (error === undefined) result.closed.push(caseId);
      else result.notClosed.push({ caseId, error });
    },
  });
  return result;
}
