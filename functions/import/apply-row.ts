/**
 * One row through the ingest use case: the envelopes a row stands for, each given to
 * `ingestEvent` (the webhook's validation, rules, idempotency and answers) in turn, and the
 * row's outcome — `imported` when any of its events was written, `unchanged` when every one was
 * already recorded (a replay), `refused` when the use case refused one (a `DomainError`, with
 * the column it names and an impossible date explained). Any other error (the store
 * unreachable) is not the row's fault and goes up: it stops the import, which is safe to run
 * again.
 */
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { DomainError } from '#kernel/errors.js';
import { DirectoryEvent } from '#schemas/events.js';
import type { EventAccepted, EventWarning } from '#schemas/responses.js';
import type { CsvShape } from './csv-shape.js';
import { explainDates } from './dates.js';
import type { ImportDeps, ImportRow, RowOutcome } from './import-file.js';
import { columnOf, draftId } from './shapes.js';

/** The event types that change the directory, not a case: each is imported on its own. */
const DIRECTORY_TYPES: ReadonlySet<string> = new Set(
  DirectoryEvent.def.options.flatMap((option) => option.shape.type.def.values.map(String)),
);

/** A row with its envelopes, their ids, and the lane it must keep its order in. */
export interface Unit {
  row: ImportRow;
  bodies: unknown[];
  /** The envelopes' ids (those that have one). */
  ids: string[];
  /**
   * The case all its events are about; `null` when the row touches the directory (or cannot
   * be told: it is imported alone, after every row before it); `undefined` when it touches
   * nothing (an unreadable line).
   */
  lane: string | null | undefined;
}

export function unitOf(row: ImportRow, shape: CsvShape | undefined): Unit {
  if (row.kind === 'unreadable') return { row, bodies: [], ids: [], lane: undefined };
  const bodies = envelopes(row, shape);
  const ids = bodies.flatMap((b) => {
    const id = idOf(b);
    return id === undefined ? [] : [id];
  });
  const cases = new Set<string | undefined>();
  let directory = false;
  for (const body of bodies) {
    const { caseId, type } = (body ?? {}) as { caseId?: unknown; type?: unknown };
    if (typeof type === 'string' && DIRECTORY_TYPES.has(type)) directory = true;
    cases.add(typeof caseId === 'string' ? caseId : undefined);
  }
  const [only] = cases;
  const lane = !directory && cases.size === 1 && only !== undefined ? only : null;
  return { row, bodies, ids, lane };
}

/** Set by a write through the store or directory; cleared before each event. */
export interface WriteFlag {
  wrote: boolean;
}

/** Applies one row's envelopes in order through `deps` (whose writes set `written`). */
export async function applyUnit(
  unit: Unit,
  deps: ImportDeps,
  written: WriteFlag,
  shape: CsvShape | undefined,
): Promise<RowOutcome> {
  const { row } = unit;
  if (row.kind === 'unreadable') return { line: row.line, status: 'refused', error: row.error };
  const eventIds: string[] = [];
  const caseIds = new Set<string>();
  const warnings: EventWarning[] = [];
  let wrote = false;
  for (const body of unit.bodies) {
    const eventId = idOf(body);
    written.wrote = false;
    try {
      const answer = await ingestEvent(body, deps);
      // An answer stored before answers carried warnings has none.
      const accepted = answer.body as Partial<EventAccepted>;
      if (typeof accepted.caseId === 'string') caseIds.add(accepted.caseId);
      warnings.push(...(accepted.warnings ?? []));
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return refusal(row.line, eventId, explainDates(error, body), shape);
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

/** A refused row's outcome, naming the column (CSV) or field (NDJSON) the problem names first. */
export function refusal(
  line: number,
  eventId: string | undefined,
  error: DomainError,
  shape: CsvShape | undefined,
): RowOutcome {
  const field = error.errors[0]?.field;
  const column =
    field === undefined || field === ''
      ? undefined
      : shape === undefined
        ? field
        : columnOf(shape, field);
  return {
    line,
    status: 'refused',
    ...(eventId === undefined ? {} : { eventId }),
    ...(column === undefined ? {} : { column }),
    error,
  };
}

/** The envelopes a row stands for: an NDJSON line's body, or a CSV row's drafts with their ids. */
function envelopes(row: Exclude<ImportRow, { kind: 'unreadable' }>, shape?: CsvShape): unknown[] {
  if (row.kind === 'event') return [row.body];
  if (shape === undefined) throw new Error('a CSV row needs its shape');
  return shape.toEvents(row.record).map((draft) => ({ id: draftId(shape.name, draft), ...draft }));
}

export function idOf(body: unknown): string | undefined {
  const id = (body as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : undefined;
}

/**
 * The same dependencies, the store and directory noting in `flag` each write that went
 * through them: a replayed event writes nothing, so the row it came from is unchanged.
 */
export function watchWrites(deps: ImportDeps, flag: WriteFlag): ImportDeps {
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

/** The methods `names` of `target`, each bound to it. */
export function boundMethods<T extends object, K extends keyof T>(
  target: T,
  names: readonly K[],
): Pick<T, K> {
  return Object.fromEntries(
    names.map((name) => [name, (target[name] as (...args: unknown[]) => unknown).bind(target)]),
  ) as Pick<T, K>;
}
