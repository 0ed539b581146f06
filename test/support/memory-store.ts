/**
 * The store ports in memory, for tests and benchmarks: the dry run's in-memory writes
 * (`#platform/memory/store.js`, faithful to the DynamoDB adapters' conditions) with the
 * ports' reads added — deadline queries and counts, the report's counters (kept in step with
 * each commit, as the adapter's transaction keeps them), open cases, the directory's people,
 * away periods and rota.
 */
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
import type { DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import { delegateAt, onCallFrom, teamManagerOf } from '#kernel/reminders/directory-rules.js';
import {
  addCounts,
  emptyCounts,
  keyString,
  type ReportItem,
  reportDeltas,
} from '#kernel/reports/figures.js';
import { deserializeAggregate } from '#platform/dynamodb/codec.js';
import {
  copy,
  eventAndCase,
  MemoryCaseWrites,
  MemoryDirectoryWrites,
  MemoryEventRecords,
} from '#platform/memory/store.js';

type DeadlineFilter = Omit<DeadlineQueryInput, 'limit' | 'cursor' | 'fields'>;

/** A deadline's place in the status indexes' order. */
const indexKey = (d: DeadlineRecord) => `${d.dueAt}#${d.caseId}#${d.id}`;

export class MemoryCaseStore extends MemoryCaseWrites implements CaseStore, ReportStore {
  /**
   * The report's counters by `keyString`, changed with every commit as the adapter does. Only
   * this store holds these objects: they are copied in and copied out.
   */
  private readonly reports = new Map<string, ReportItem>();

  override async commitCase(commit: CaseCommit): Promise<void> {
    await super.commitCase(commit);
    for (const delta of reportDeltas(commit.before?.deadlines ?? [], commit.after.deadlines)) {
      const id = keyString(delta.key);
      let item = this.reports.get(id);
      if (item === undefined) {
        item = { key: { ...delta.key }, counts: emptyCounts() };
        this.reports.set(id, item);
      }
      addCounts(item.counts, delta.counts);
    }
  }

  loadEventAndCase(
    eventId: string,
    caseId: string,
  ): Promise<{ recorded?: EventRecord; stored?: StoredCase }> {
    return eventAndCase(this, eventId, caseId);
  }

  /** The fire path's read: an in-memory directory is always current, so its stamp stays 0. */
  async loadCaseWithDirectoryStamp(
    caseId: string,
  ): Promise<{ stored?: StoredCase; directoryGeneration: number }> {
    const stored = await this.loadCase(caseId);
    return stored === undefined ? { directoryGeneration: 0 } : { stored, directoryGeneration: 0 };
  }

  async queryDeadlines(
    query: DeadlineQueryInput,
  ): Promise<{ deadlines: DeadlineRecord[]; nextCursor?: string }> {
    const all = this.matching(query).sort((a, b) => indexKey(a).localeCompare(indexKey(b)));
    const start =
      query.cursor === undefined ? 0 : all.findIndex((d) => indexKey(d) > query.cursor!);
    const page = start < 0 ? [] : all.slice(start, start + query.limit);
    const last = page.at(-1);
    const more = start >= 0 && start + query.limit < all.length;
    return more && last !== undefined
      ? { deadlines: page, nextCursor: indexKey(last) }
      : { deadlines: page };
  }

  async countDeadlines(query: DeadlineFilter): Promise<number> {
    return this.matching(query).length;
  }

  private matching(query: DeadlineFilter): DeadlineRecord[] {
    const before = query.dueBefore?.toISOString();
    const from = query.dueFrom?.toISOString();
    return this.projections()
      .filter((d) => d.status === query.status)
      .filter((d) => before === undefined || indexKey(d) < before)
      .filter((d) => from === undefined || indexKey(d) >= from)
      .filter((d) => query.team === undefined || d.team === query.team)
      .filter((d) => query.rules === undefined || query.rules.includes(d.rule))
      .filter((d) => query.exceptRules === undefined || !query.exceptRules.includes(d.rule))
      .filter((d) => query.notMet !== true || d.metAt === undefined);
  }

  async readReport(query: ReportQuery): Promise<ReportItem[]> {
    return [...this.reports.values()]
      .map((item) => copy(item))
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
    for (const item of items) this.reports.set(keyString(item.key), copy(item));
    return { written: items.length, deleted };
  }

  async scanCases(visit: (aggregate: CaseAggregate) => void): Promise<void> {
    for (const item of this.cases.values()) visit(deserializeAggregate(item.aggregate));
  }

  async listOpenCases(page: Parameters<CaseStore['listOpenCases']>[0]): Promise<{
    caseIds: string[];
    nextCursor?: string;
  }> {
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

  /** How many cases are stored (for a bench's sanity check). */
  get caseCount(): number {
    return this.cases.size;
  }
}

export class MemoryDirectory
  extends MemoryDirectoryWrites
  implements Directory, DirectoryWriter, DirectoryListing
{
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

  async awayAt(personId: string, at: Date): Promise<string | undefined> {
    return delegateAt(this.away.get(personId) ?? [], at);
  }

  async onCallAt(at: Date, tier: 1 | 2 = 1): Promise<string | undefined> {
    return onCallFrom(this.shifts, at, tier);
  }

  async teamManager(team: string): Promise<string | undefined> {
    return teamManagerOf([...this.people.values()].filter((p) => p.team === team));
  }

  async listPeople(
    page: Parameters<DirectoryListing['listPeople']>[0],
  ): Promise<{ people: Person[]; nextCursor?: string }> {
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

  async listShifts(
    page: Parameters<DirectoryListing['listShifts']>[0],
  ): Promise<{ shifts: StoredShift[]; nextCursor?: string }> {
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
}

/** A case store and a directory sharing one set of event records, as they share one table. */
export function memoryStores(): { store: MemoryCaseStore; directory: MemoryDirectory } {
  const events = new MemoryEventRecords();
  return { store: new MemoryCaseStore(events), directory: new MemoryDirectory(events) };
}
