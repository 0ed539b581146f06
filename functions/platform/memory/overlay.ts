/**
 * An import's dry run: the real store read, nothing written. Reads fall through to the real
 * store (a case read is copied into memory at its stored version); every write goes to the
 * in-memory store, whose commit checks the same conditions; the scheduler only records. The
 * same ingest use case runs on top, so a dry run answers exactly what the import would, and
 * `preview()` says what would change: the cases created or updated with their open clocks,
 * and the reminders that would fire soon.
 */

import { everyPage } from '#kernel/paging.js';
import type { Person } from '#kernel/people.js';
import type {
  CaseCommit,
  CaseStore,
  DeadlineQueryInput,
  Directory,
  DirectoryWriter,
} from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import { RecordingScheduler } from './scheduler.js';
import {
  eventAndCase,
  MemoryCaseWrites,
  MemoryDirectoryWrites,
  MemoryEventRecords,
} from './store.js';

export class OverlayCaseStore implements CaseStore {
  /** Cases the real store held when first read (the rest are new). */
  readonly existed = new Set<string>();

  constructor(
    private readonly base: CaseStore,
    readonly memory: MemoryCaseWrites,
  ) {}

  async getEventRecord(eventId: string): Promise<EventRecord | undefined> {
    return (await this.memory.getEventRecord(eventId)) ?? this.base.getEventRecord(eventId);
  }

  async loadCase(caseId: string): Promise<StoredCase | undefined> {
    if (!this.memory.has(caseId)) {
      const stored = await this.base.loadCase(caseId);
      if (stored === undefined) return undefined;
      this.existed.add(caseId);
      this.memory.seed(stored.aggregate, stored.version, new Date(stored.updatedAt));
    }
    return this.memory.loadCase(caseId);
  }

  loadEventAndCase(
    eventId: string,
    caseId: string,
  ): Promise<{ recorded?: EventRecord; stored?: StoredCase }> {
    return eventAndCase(this, eventId, caseId);
  }

  commitCase(commit: CaseCommit): Promise<void> {
    return this.memory.commitCase(commit);
  }

  async listDeadlines(caseId: string): Promise<DeadlineRecord[]> {
    return this.memory.has(caseId)
      ? this.memory.listDeadlines(caseId)
      : this.base.listDeadlines(caseId);
  }

  queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }> {
    return this.base.queryDeadlines(query);
  }

  countDeadlines(query: Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>): Promise<number> {
    return this.base.countDeadlines(query);
  }

  async listAudit(caseId: string): Promise<AuditRecord[]> {
    return [...(await this.base.listAudit(caseId)), ...(await this.memory.listAudit(caseId))];
  }

  /** The real store's open cases as this run would leave them (one page: the whole list). */
  async listOpenCases(): Promise<{ caseIds: string[]; nextCursor?: string }> {
    const ids = new Set<string>();
    for await (const page of everyPage((cursor) => this.base.listOpenCases({ limit: 500, cursor })))
      for (const id of page.caseIds) ids.add(id);
    for (const id of this.memory.caseIds()) {
      const stored = await this.memory.loadCase(id);
      if (stored?.aggregate.status === 'open') ids.add(id);
      else ids.delete(id);
    }
    return { caseIds: [...ids].sort() };
  }
}

/** Directory writes into memory; a person is read from memory first, then from the real one. */
export class OverlayDirectory implements DirectoryWriter, Pick<Directory, 'getPerson'> {
  constructor(
    private readonly base: Pick<Directory, 'getPerson'>,
    readonly memory: MemoryDirectoryWrites,
  ) {}

  async getPerson(personId: string): Promise<Person | undefined> {
    return (await this.memory.getPerson(personId)) ?? this.base.getPerson(personId);
  }

  upsertPerson(...args: Parameters<DirectoryWriter['upsertPerson']>): Promise<void> {
    return this.memory.upsertPerson(...args);
  }

  addAway(...args: Parameters<DirectoryWriter['addAway']>): Promise<void> {
    return this.memory.addAway(...args);
  }

  addShift(...args: Parameters<DirectoryWriter['addShift']>): Promise<void> {
    return this.memory.addShift(...args);
  }
}

export interface PreviewCase {
  caseId: string;
  change: 'created' | 'updated';
  clocks: {
    deadlineId: string;
    rule: string;
    status: string;
    dueAt: string;
    /** How the due time was worked out, as the engine explains it. */
    explain: string[];
  }[];
}

export interface PreviewReminder {
  caseId: string;
  deadlineId: string;
  step?: string;
  fireAt: string;
}

export interface Preview {
  cases: PreviewCase[];
  /** Reminder timers a real import would set that fire within `horizonDays` of now. */
  reminders: PreviewReminder[];
  horizonDays: number;
}

/** The dry run's stores and scheduler over the real store and directory. */
export function dryRunStores(base: { store: CaseStore; people: Pick<Directory, 'getPerson'> }) {
  // One set of event records for both, as the table keeps them.
  const events = new MemoryEventRecords();
  const memory = {
    store: new MemoryCaseWrites(events),
    directory: new MemoryDirectoryWrites(events),
  };
  const store = new OverlayCaseStore(base.store, memory.store);
  const directory = new OverlayDirectory(base.people, memory.directory);
  const scheduler = new RecordingScheduler();
  return {
    store,
    directory,
    scheduler,
    /** What the run would have changed, as of `now`. */
    async preview(now: Date, horizonDays = 7): Promise<Preview> {
      const cases: PreviewCase[] = [];
      for (const caseId of memory.store.caseIds().sort()) {
        const stored = await memory.store.loadCase(caseId);
        if (stored === undefined) continue;
        // A case read but never committed to is unchanged.
        if (store.existed.has(caseId) && !memory.store.committed(caseId)) continue;
        cases.push({
          caseId,
          change: store.existed.has(caseId) ? 'updated' : 'created',
          clocks: stored.aggregate.deadlines
            .filter((d) => d.status === 'open' || d.status === 'breached')
            .map((d) => ({
              deadlineId: d.id,
              rule: d.rule,
              status: d.status,
              dueAt: d.dueAt.toISOString(),
              explain: d.explain,
            })),
        });
      }
      const until = now.getTime() + horizonDays * 86_400_000;
      const reminders = [...scheduler.timers.values()]
        .filter((t) => t.payload.kind === 'reminder')
        .filter((t) => t.fireAt.getTime() >= now.getTime() && t.fireAt.getTime() < until)
        .sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime() || a.name.localeCompare(b.name))
        .map((t) => ({
          caseId: t.payload.caseId,
          deadlineId: t.payload.deadlineId,
          ...(t.payload.step === undefined ? {} : { step: t.payload.step }),
          fireAt: t.fireAt.toISOString(),
        }));
      return { cases, reminders, horizonDays };
    },
  };
}
