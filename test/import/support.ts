/**
 * Shared set-up of the import's concurrency tests: a file's worth of events for a few cases,
 * the in-memory stores with a reminder audit that keeps what it is given, a store that answers
 * each call after a chosen number of turns of the event loop (so cases finish out of order),
 * and the whole store as one comparable text.
 */
import { Readable } from 'node:stream';
import { type ImportDeps, importRows, type RowOutcome } from '#functions/import/import-file.js';
import { openRows } from '#functions/import/records.js';
import { availableShapes } from '#functions/import/shapes.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { ReminderAudit } from '#kernel/ports.js';
import type { ReminderAuditEntry } from '#kernel/records.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { AUTHORITY } from '#test/api/support.js';
import { memoryStores } from '#test/support/memory-store.js';
import { TimerLog } from '#test/support/scheduler.js';

export const engine = makeCaseEngine(AUTHORITY);
export const NOW = new Date('2030-03-01T09:00:00Z');

/** An event of a case, before it is placed in a file. */
export interface CaseEventLine {
  id: string;
  type: string;
  caseId?: string;
  occurredAt: string;
  data: Record<string, unknown>;
}

/** Reminder audit lines as appended, by case version. */
export class KeptAudit implements ReminderAudit {
  readonly lines: { caseVersion: number; entries: ReminderAuditEntry[] }[] = [];

  async append(entries: ReminderAuditEntry[], caseVersion: number): Promise<void> {
    this.lines.push({ caseVersion, entries: structuredClone(entries) });
  }
}

export function importWorld() {
  const stores = memoryStores();
  const scheduler = new TimerLog();
  const reminderAudit = new KeptAudit();
  const deps: ImportDeps = {
    store: stores.store,
    directory: stores.directory,
    people: stores.directory,
    engine,
    scheduler,
    reminderAudit,
    clock: { now: () => NOW },
  };
  return { stores, scheduler, reminderAudit, deps };
}

/**
 * The same dependencies, each store call answered after `delays[k]` turns of the event loop
 * (k counting calls, the list cycled): lanes finish in an order the test chooses.
 */
export function jittered(deps: ImportDeps, delays: readonly number[]): ImportDeps {
  let k = 0;
  const wait = async () => {
    const turns = delays.length === 0 ? 0 : (delays[k++ % delays.length] as number);
    for (let i = 0; i < turns; i++) await new Promise((r) => setImmediate(r));
  };
  const slow =
    <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await wait();
      return call(...args);
    };
  const store = deps.store;
  return {
    ...deps,
    store: {
      ...store,
      getEventRecord: slow(store.getEventRecord.bind(store)),
      loadCase: slow(store.loadCase.bind(store)),
      loadEventAndCase: slow(store.loadEventAndCase.bind(store)),
      commitCase: slow(store.commitCase.bind(store)),
      listAudit: slow(store.listAudit.bind(store)),
      listOpenCases: store.listOpenCases.bind(store),
      listDeadlines: store.listDeadlines.bind(store),
      queryDeadlines: store.queryDeadlines.bind(store),
      countDeadlines: store.countDeadlines.bind(store),
    },
  };
}

/** Imports NDJSON `lines` with `options`; the outcomes in the order they were handed on. */
export async function importLines(
  lines: readonly CaseEventLine[],
  deps: ImportDeps,
  options: Parameters<typeof importRows>[2] = {},
) {
  const text = lines.map((l) => JSON.stringify(l)).join('\n');
  const file = await openRows(Readable.from([text]), { shapes: availableShapes(EVENT_TYPES) });
  const outcomes: RowOutcome[] = [];
  const result = await importRows(file.rows, deps, {
    ...options,
    onRow: (o) => void outcomes.push(o),
  });
  return { result, outcomes };
}

/**
 * Everything the import left, as text: each case (version and aggregate), its audit trail,
 * each event record, the report's counters, the timers set and the reminder audit lines, and
 * the people named.
 */
export async function storeText(
  world: ReturnType<typeof importWorld>,
  caseIds: readonly string[],
  eventIds: readonly string[],
  personIds: readonly string[] = [],
): Promise<string> {
  const { store, directory } = world.stores;
  const cases = [];
  for (const caseId of [...caseIds].sort()) {
    const stored = await store.loadCase(caseId);
    cases.push({
      caseId,
      version: stored?.version,
      aggregate: stored?.serialized,
      audit: await store.listAudit(caseId),
    });
  }
  const records = [];
  for (const id of [...new Set(eventIds)].sort()) records.push(await store.getEventRecord(id));
  const people = [];
  for (const id of personIds) people.push(await directory.getPerson(id));
  const reminderLines = world.reminderAudit.lines
    .map((l) => JSON.stringify(l))
    .sort((a, b) => a.localeCompare(b));
  const timers = [...world.scheduler.timers.values()]
    .map((t) => `${t.name}@${t.fireAt.toISOString()}`)
    .sort();
  const reports = (await store.readReport({ from: '2000-01', to: '2100-12' })).sort((a, b) =>
    JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)),
  );
  return JSON.stringify({ cases, records, people, reminderLines, timers, reports }, null, 1);
}
