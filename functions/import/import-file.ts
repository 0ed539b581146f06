/**
 * Import a file of events or rows (`npx timescales import`, the drop bucket's Lambda).
 *
 * Input: the file's rows (`functions/import/records.ts`: NDJSON event bodies, CSV
 * records of one shape, or lines that could not be read) and the ingest dependencies.
 * Output: one outcome per row — imported, unchanged or refused — and a tally.
 *
 * 1. A CSV row becomes event envelopes through its shape, each with an id derived from its
 *    content (`draftId`), so importing the same file twice changes nothing; an NDJSON line
 *    is an envelope already.
 * 2. Every envelope goes through `ingestEvent` — the webhook's own validation, rules,
 *    idempotency and answers. A row is `imported` when any of its events was written,
 *    `unchanged` when every one was already recorded (a replay), `refused` when the use case
 *    refused one (a `DomainError`: mapped to the API's problem by the caller, with the column
 *    it names). A refused row never stops the rows after it; any other error (the store
 *    unreachable) stops the import, which is safe to run again.
 * 3. With `snapshot`, the file is the complete list of open cases: the cases open in the
 *    store that no row named (refused rows count as named: a typo must not close a case)
 *    are listed, and with `closeMissing` closed by a `case.closed` event each.
 */

import { type IngestDeps, ingestEvent } from '#functions/ingest/ingest-event.js';
import { DomainError } from '#kernel/errors.js';
import { canonicalJson, fnv1a64 } from '#kernel/ids.js';
import { everyPage } from '#kernel/paging.js';
import type { EventAccepted, EventWarning } from '#schemas/responses.js';
import type { CsvShape } from './csv-shape.js';
import { columnOf, draftId } from './shapes.js';

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

export type ImportDeps = IngestDeps;

export interface ImportOptions {
  /** The CSV shape of `record` rows. */
  shape?: CsvShape | undefined;
  /** Hears each row's outcome as soon as it is known (progress, reports, checkpoints). */
  onRow?: (outcome: RowOutcome) => void | Promise<void>;
  /** Asked before each row: true stops the import there (a Lambda running out of time). */
  shouldStop?: () => boolean;
  /** Treat the file as the complete list of open cases. */
  snapshot?: boolean;
  /** With `snapshot`: close the open cases the file does not name. */
  closeMissing?: boolean;
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
  const written: WriteFlag = { wrote: false };
  const watched = watchWrites(deps, written);
  for await (const row of rows) {
    if (options.shouldStop?.() === true) return { tally, stoppedAtLine: row.line };
    const outcome = await importRow(row, watched, written, options.shape, named);
    tally.rows++;
    tally[outcome.status]++;
    await options.onRow?.(outcome);
  }
  if (options.snapshot !== true) return { tally };
  return { tally, snapshot: await reconcile(named, watched, options.closeMissing === true) };
}

async function importRow(
  row: ImportRow,
  deps: IngestDeps,
  written: WriteFlag,
  shape: CsvShape | undefined,
  named: Set<string>,
): Promise<RowOutcome> {
  if (row.kind === 'unreadable') return { line: row.line, status: 'refused', error: row.error };
  const bodies = envelopes(row, shape);
  for (const body of bodies) {
    const caseId = (body as { caseId?: unknown }).caseId;
    if (typeof caseId === 'string') named.add(caseId);
  }
  const eventIds: string[] = [];
  const caseIds = new Set<string>();
  const warnings: EventWarning[] = [];
  let wrote = false;
  for (const body of bodies) {
    const eventId = idOf(body);
    written.wrote = false;
    try {
      const answer = await ingestEvent(body, deps);
      // An answer stored before answers carried warnings has none.
      const accepted = answer.body as Partial<EventAccepted>;
      if (typeof accepted.caseId === 'string') caseIds.add(accepted.caseId);
      warnings.push(...(accepted.warnings ?? []));
    } catch (error) {
      // A row the use case refuses is reported; anything else (the store unreachable, a bug)
      // is not the row's fault: it stops the import, which can be run again safely.
      if (!(error instanceof DomainError)) throw error;
      const field = error.errors[0]?.field;
      const column =
        field === undefined || field === ''
          ? undefined
          : shape === undefined
            ? field
            : columnOf(shape, field);
      return {
        line: row.line,
        status: 'refused',
        ...(eventId === undefined ? {} : { eventId }),
        ...(column === undefined ? {} : { column }),
        error,
      };
    }
    wrote ||= written.wrote;
    if (eventId !== undefined) eventIds.push(eventId);
  }
  return {
    line: row.line,
    status: wrote ? 'imported' : 'unchanged',
    eventIds,
    caseIds: [...caseIds],
    warnings,
  };
}

/** The envelopes a row stands for: an NDJSON line's body, or a CSV row's drafts with their ids. */
function envelopes(row: Exclude<ImportRow, { kind: 'unreadable' }>, shape?: CsvShape): unknown[] {
  if (row.kind === 'event') return [row.body];
  if (shape === undefined) throw new Error('a CSV row needs its shape');
  return shape.toEvents(row.record).map((draft) => ({ id: draftId(shape.name, draft), ...draft }));
}

function idOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The same dependencies, the store and directory noting in `flag` each write that went
 * through them: a replayed event writes nothing, so the row it came from is unchanged.
 */
function watchWrites(deps: ImportDeps, flag: WriteFlag): ImportDeps {
  const noted =
    <A extends unknown[]>(write: (...args: A) => Promise<void>) =>
    async (...args: A): Promise<void> => {
      await write(...args);
      flag.wrote = true;
    };
  const { store, directory } = deps;
  return {
    ...deps,
    store: {
      ...boundMethods(store, [
        'getEventRecord',
        'loadCase',
        'loadEventAndCase',
        'listDeadlines',
        'queryDeadlines',
        'countDeadlines',
        'listAudit',
        'listOpenCases',
      ]),
      commitCase: noted(store.commitCase.bind(store)),
    },
    directory: {
      upsertPerson: noted(directory.upsertPerson.bind(directory)),
      addAway: noted(directory.addAway.bind(directory)),
      addShift: noted(directory.addShift.bind(directory)),
    },
  };
}

/** Set by a write through the watched store or directory; cleared before each event. */
interface WriteFlag {
  wrote: boolean;
}

/** The methods `names` of `target`, each bound to it. */
function boundMethods<T extends object, K extends keyof T>(
  target: T,
  names: readonly K[],
): Pick<T, K> {
  return Object.fromEntries(
    names.map((name) => [name, (target[name] as (...args: unknown[]) => unknown).bind(target)]),
  ) as Pick<T, K>;
}

async function reconcile(
  named: Set<string>,
  deps: ImportDeps,
  closeMissing: boolean,
): Promise<SnapshotResult> {
  const missing: string[] = [];
  for await (const page of everyPage((cursor) => deps.store.listOpenCases({ limit: 500, cursor })))
    for (const caseId of page.caseIds) if (!named.has(caseId)) missing.push(caseId);
  const result: SnapshotResult = { missing, closed: [], notClosed: [] };
  if (!closeMissing) return result;
  const now = deps.clock.now().toISOString();
  for (const caseId of missing) {
    const event = { type: 'case.closed', caseId, occurredAt: now, data: {} };
    try {
      await ingestEvent({ id: `snapshot-close-${fnv1a64(canonicalJson(event))}`, ...event }, deps);
      result.closed.push(caseId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      result.notClosed.push({ caseId, error });
    }
  }
  return result;
}
