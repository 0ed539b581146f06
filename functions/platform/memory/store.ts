/**
 * In-memory implementations of the store ports (`CaseStore`, `Directory`, `DirectoryWriter`):
 * what an import's dry run writes to instead of the table (`overlay.ts`), and the fakes of
 * tests and benchmarks (re-exported by `test/support/memory-store.ts`). Faithful to the DynamoDB adapters where it matters to the use cases:
 *
 * - every commit is all-or-nothing: its conditions (event id unused, case version as read,
 *   audit item new) are checked before anything is written, and a failure throws the port's
 *   `EventAlreadyRecordedError` / `VersionConflictError` exactly as the adapter translates a
 *   cancelled transaction;
 * - every item is kept as its JSON text (the aggregate through the adapter's own codec, so
 *   loading a case costs what it costs in production), so callers never share objects with
 *   the store, as over the wire;
 * - deadline projections are derived from the committed aggregate when read — what the
 *   adapter's projection items hold, since it rewrites them from the aggregate in the same
 *   transaction — and audit items are one per committed version;
 * - a person upsert older than the stored profile records the event and changes nothing;
 * - an item over DynamoDB's 400 KB is refused, as DynamoDB would.
 *
 * Single-threaded JavaScript makes each method's check-then-write atomic.
 */

import { EventAlreadyRecordedError, VersionConflictError } from '#kernel/errors.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { AwayPeriod, Person, RotaShift, StoredShift } from '#kernel/people.js';
import type {
  CaseCommit,
  CaseStore,
  DeadlineQueryInput,
  Directory,
  DirectoryListing,
  DirectoryWriter,
  ReportQuery,
  ReportStore,
} from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import { delegateAt, onCallFrom, teamManagerOf } from '#kernel/reminders/directory-rules.js';
import {
  addCounts,
  emptyCounts,
  keyString,
  type ReportItem,
  reportDeltas,
} from '#kernel/reports/figures.js';
import {
  deserializeAggregate,
  serializeAggregate,
  toAuditRecord,
  toDeadlineRecord,
} from '../dynamodb/codec.js';

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;

/** Copies a plain value the way a round trip through the table would. */
const copy = <T>(value: T): T => structuredClone(value);

interface CaseItem {
  caseId: string;
  version: number;
  /** `serializeAggregate` text, as the adapter stores it. */
  aggregate: string;
  updatedAt: string;
  lastEventId?: string;
}

/** Event idempotency records, shared by the case store and the directory (one table). */
export class MemoryEventRecords {
  private readonly records = new Map<string, string>();

  get(eventId: string): EventRecord | undefined {
    const found = this.records.get(eventId);
    return found === undefined ? undefined : (JSON.parse(found) as EventRecord);
  }

  /** Throws like the `attribute_not_exists(pk)` condition on the event record. */
  check(event: EventRecord | undefined): void {
    if (event !== undefined && this.records.has(event.eventId))
      throw new EventAlreadyRecordedError(event.eventId);
  }

  put(event: EventRecord): void {
    this.records.set(event.eventId, JSON.stringify(event));
  }

  get size(): number {
    return this.records.size;
  }
}

export class MemoryCaseStore implements CaseStore, ReportStore {
  private readonly cases = new Map<string, CaseItem>();
  /** The report's counters by `keyString`, changed with every commit as the adapter does. */
  private readonly reports = new Map<string, string>();
  /** caseId → version → the audit item's entries (JSON text) */
  private readonly audits = new Map<string, Map<number, string>>();
  private readonly committedIds = new Set<string>();

  constructor(readonly events: MemoryEventRecords = new MemoryEventRecords()) {}

  async getEventRecord(eventId: string): Promise<EventRecord | undefined> {
    return this.events.get(eventId);
  }

  async loadCase(caseId: string): Promise<StoredCase | undefined> {
    const item = this.cases.get(caseId);
    if (item === undefined) return undefined;
    return {
      caseId: item.caseId,
      version: item.version,
      aggregate: deserializeAggregate(item.aggregate),
      updatedAt: item.updatedAt,
      serialized: item.aggregate,
    };
  }

  /** The fire path's read: an in-memory directory is always current, so its stamp stays 0. */
  async loadCaseWithDirectoryStamp(
    caseId: string,
  ): Promise<{ stored?: StoredCase; directoryGeneration: number }> {
    const stored = await this.loadCase(caseId);
    return stored === undefined ? { directoryGeneration: 0 } : { stored, directoryGeneration: 0 };
  }

  /** Writes a case as if committed at `version` (a test's starting point). */
  seed(aggregate: CaseAggregate, version: number, at = new Date(0)): void {
    this.cases.set(aggregate.caseId, {
      caseId: aggregate.caseId,
      version,
      aggregate: serializeAggregate(aggregate),
      updatedAt: at.toISOString(),
    });
  }

  async loadEventAndCase(
    eventId: string,
    caseId: string,
  ): Promise<{ recorded?: EventRecord; stored?: StoredCase }> {
    const recorded = await this.getEventRecord(eventId);
    const stored = await this.loadCase(caseId);
    return {
      ...(recorded === undefined ? {} : { recorded }),
      ...(stored === undefined ? {} : { stored }),
    };
  }

  async commitCase(commit: CaseCommit): Promise<void> {
    const { caseId, expectedVersion } = commit;
    const version = expectedVersion + 1;
    // Conditions first, in the adapter's order: the event record's failure wins.
    this.events.check(commit.event);
    const current = this.cases.get(caseId);
    if ((current?.version ?? 0) !== expectedVersion) throw new VersionConflictError(caseId);
    if (commit.audit.length > 0 && this.audits.get(caseId)?.has(version))
      throw new VersionConflictError(caseId);
    const aggregate = commit.afterJson ?? serializeAggregate(commit.after);
    if (aggregate.length > MAX_ITEM_BYTES)
      throw new Error('ValidationException: Item size has exceeded the maximum allowed size');

    // Writes: nothing above threw, so the "transaction" commits whole.
    this.committedIds.add(caseId);
    if (commit.event !== undefined) this.events.put(commit.event);
    this.cases.set(caseId, {
      caseId,
      version,
      aggregate,
      updatedAt: commit.now.toISOString(),
      ...(commit.event === undefined ? {} : { lastEventId: commit.event.eventId }),
    });
    const deltas = reportDeltas(commit.before?.deadlines ?? [], commit.after.deadlines);
    for (const delta of deltas) {
      const id = keyString(delta.key);
      const stored = this.reports.get(id);
      const item: ReportItem =
        stored === undefined ? { key: delta.key, counts: emptyCounts() } : JSON.parse(stored);
      addCounts(item.counts, delta.counts);
      this.reports.set(id, JSON.stringify(item));
    }
    if (commit.audit.length > 0) {
      const audits = this.audits.get(caseId) ?? new Map<number, string>();
      audits.set(version, JSON.stringify(commit.audit.map(toAuditRecord)));
      this.audits.set(caseId, audits);
    }
  }

  /** The projections of every stored case (the adapter's deadline items). */
  private projections(caseId?: string): DeadlineRecord[] {
    const items = caseId === undefined ? [...this.cases.values()] : [this.cases.get(caseId)];
    return items.flatMap((item) =>
      item === undefined
        ? []
        : deserializeAggregate(item.aggregate).deadlines.map((d) => toDeadlineRecord(d)),
    );
  }

  async listDeadlines(caseId: string): Promise<DeadlineRecord[]> {
    return this.projections(caseId).sort(
      (a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id),
    );
  }

  async queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }> {
    const keyOf = (d: DeadlineRecord) => `${d.dueAt}#${d.caseId}#${d.id}`;
    const all = this.matching(query).sort((a, b) => keyOf(a).localeCompare(keyOf(b)));
    const start = query.cursor === undefined ? 0 : all.findIndex((d) => keyOf(d) > query.cursor!);
    const page = start < 0 ? [] : all.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start >= 0 && start + query.limit < all.length;
    return more && last !== undefined
      ? { deadlines: page, nextCursor: keyOf(last) }
      : { deadlines: page };
  }

  async countDeadlines(
    query: Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>,
  ): Promise<number> {
    return this.matching(query).length;
  }

  private matching(
    query: Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>,
  ): DeadlineRecord[] {
    const keyOf = (d: DeadlineRecord) => `${d.dueAt}#${d.caseId}#${d.id}`;
    const before = query.dueBefore?.toISOString();
    const from = query.dueFrom?.toISOString();
    return this.projections()
      .filter((d) => d.status === query.status)
      .filter((d) => before === undefined || keyOf(d) < before)
      .filter((d) => from === undefined || keyOf(d) >= from)
      .filter((d) => query.team === undefined || d.team === query.team)
      .filter((d) => query.rules === undefined || query.rules.includes(d.rule))
      .filter((d) => query.exceptRules === undefined || !query.exceptRules.includes(d.rule))
      .filter((d) => query.notMet !== true || d.metAt === undefined);
  }

  async listAudit(caseId: string): Promise<AuditRecord[]> {
    const audits = this.audits.get(caseId);
    if (audits === undefined) return [];
    return [...audits.entries()]
      .sort(([a], [b]) => a - b)
      .flatMap(([, entries]) => JSON.parse(entries) as AuditRecord[]);
  }

  async readReport(query: ReportQuery): Promise<ReportItem[]> {
    return [...this.reports.values()]
      .map((text) => JSON.parse(text) as ReportItem)
      .filter(
        ({ key }) =>
          key.month >= query.from &&
          key.month <= query.to &&
          (query.rule === undefined || key.rule === query.rule) &&
          (query.teams === undefined || query.teams.includes(key.team)),
      );
  }

  async replaceAll(items: readonly ReportItem[]): Promise<{ written: number; deleted: number }> {
    const wanted = new Set(items.map((i) => keyString(i.key)));
    const deleted = [...this.reports.keys()].filter((id) => !wanted.has(id)).length;
    this.reports.clear();
    for (const item of items) this.reports.set(keyString(item.key), JSON.stringify(item));
    return { written: items.length, deleted };
  }

  async scanCases(visit: (aggregate: CaseAggregate) => void): Promise<void> {
    for (const item of this.cases.values()) visit(deserializeAggregate(item.aggregate));
  }

  async listOpenCases(page: {
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ caseIds: string[]; nextCursor?: string }> {
    const open = [...this.cases.values()]
      .filter((item) => deserializeAggregate(item.aggregate).status === 'open')
      .map((item) => item.caseId)
      .sort()
      .filter((id) => page.cursor === undefined || id > page.cursor);
    const caseIds = open.slice(0, page.limit);
    return open.length > page.limit
      ? { caseIds, nextCursor: caseIds.at(-1) as string }
      : { caseIds };
  }

  /** The ids of the cases stored (a dry run's list of what it would write). */
  caseIds(): string[] {
    return [...this.cases.keys()];
  }

  has(caseId: string): boolean {
    return this.cases.has(caseId);
  }

  /** Whether a commit (not only a `seed`) wrote the case. */
  committed(caseId: string): boolean {
    return this.committedIds.has(caseId);
  }

  /** How many cases are stored (for a bench's sanity check). */
  get caseCount(): number {
    return this.cases.size;
  }
}

export class MemoryDirectory implements Directory, DirectoryWriter, DirectoryListing {
  private readonly people = new Map<string, Person>();
  private readonly away = new Map<string, AwayPeriod[]>();
  private readonly shifts: RotaShift[] = [];

  constructor(readonly events: MemoryEventRecords = new MemoryEventRecords()) {}

  /** A directory holding these people, away periods and rota shifts (a test's starting point). */
  static of(
    people: readonly Person[],
    away: readonly AwayPeriod[] = [],
    rota: readonly RotaShift[] = [],
  ): MemoryDirectory {
    const directory = new MemoryDirectory();
    for (const person of people) directory.people.set(person.personId, copy(person));
    for (const a of away)
      directory.away.set(a.personId, [...(directory.away.get(a.personId) ?? []), copy(a)]);
    directory.shifts.push(...rota.map(copy));
    return directory;
  }

  async getPerson(personId: string): Promise<Person | undefined> {
    const found = this.people.get(personId);
    return found === undefined ? undefined : copy(found);
  }

  async awayAt(personId: string, at: Date): Promise<string | undefined> {
    return delegateAt(this.away.get(personId) ?? [], at);
  }

  async onCallAt(at: Date, tier: 1 | 2 = 1): Promise<string | undefined> {
    return onCallFrom(this.shifts, at, tier);
  }

  async teamManager(team: string): Promise<string | undefined> {
    return teamManagerOf([...this.people.values()].filter((p) => p.team === team));
  }

  async listPeople(page: {
    team?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ people: Person[]; nextCursor?: string }> {
    const all = [...this.people.values()]
      .filter((p) => page.team === undefined || p.team === page.team)
      .sort((a, b) => a.personId.localeCompare(b.personId))
      .filter((p) => page.cursor === undefined || p.personId > page.cursor);
    const people = all.slice(0, page.limit).map(copy);
    const last = people.at(-1);
    return all.length > page.limit && last !== undefined
      ? { people, nextCursor: last.personId }
      : { people };
  }

  async awayPeriods(personId: string): Promise<AwayPeriod[]> {
    return (this.away.get(personId) ?? []).map(copy).sort((a, b) => a.from.localeCompare(b.from));
  }

  async listShifts(page: {
    from: Date;
    to: Date;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ shifts: StoredShift[]; nextCursor?: string }> {
    const keyOf = (s: RotaShift) => `${new Date(s.from).toISOString()}#${s.personId}`;
    const all = this.shifts
      .filter(
        (s) => Date.parse(s.from) < page.to.getTime() && Date.parse(s.to) > page.from.getTime(),
      )
      .sort((a, b) => keyOf(a).localeCompare(keyOf(b)))
      .filter((s) => page.cursor === undefined || keyOf(s) > page.cursor);
    const shifts = all.slice(0, page.limit).map(copy);
    const last = shifts.at(-1);
    return all.length > page.limit && last !== undefined
      ? { shifts, nextCursor: keyOf(last) }
      : { shifts };
  }

  async upsertPerson(person: Person, event: EventRecord): Promise<void> {
    this.events.check(event);
    this.events.put(event);
    const stored = this.people.get(person.personId);
    // Out-of-order delivery: an older upsert is recorded but changes nothing.
    if (stored !== undefined && stored.updatedAt > person.updatedAt) return;
    this.people.set(person.personId, copy(stripUndefined(person)));
  }

  async addAway(away: AwayPeriod, event: EventRecord): Promise<void> {
    this.events.check(event);
    this.events.put(event);
    const from = new Date(away.from).toISOString();
    const list = (this.away.get(away.personId) ?? []).filter((a) => a.from !== from);
    list.push({ ...away, from, to: new Date(away.to).toISOString() });
    this.away.set(away.personId, list);
  }

  async addShift(shift: RotaShift, event: EventRecord): Promise<void> {
    this.events.check(event);
    this.events.put(event);
    const from = new Date(shift.from).toISOString();
    const i = this.shifts.findIndex((s) => s.from === from && s.personId === shift.personId);
    if (i >= 0) this.shifts.splice(i, 1);
    this.shifts.push({
      personId: shift.personId,
      from,
      to: new Date(shift.to).toISOString(),
      ...(shift.tier === undefined || shift.tier === 1 ? {} : { tier: shift.tier }),
    });
  }
}

/** A case store and a directory sharing one set of event records, as they share one table. */
export function memoryStores(): { store: MemoryCaseStore; directory: MemoryDirectory } {
  const events = new MemoryEventRecords();
  return { store: new MemoryCaseStore(events), directory: new MemoryDirectory(events) };
}

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
