/**
 * What an import's dry run writes to instead of the table (`overlay.ts`): cases, their audit
 * items and event records, and the directory's people, away periods and rota shifts, in
 * memory. Faithful to the DynamoDB adapters where it matters to the use cases (the tests'
 * fakes in `test/support/memory-store.ts` extend these with the ports' reads):
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
import type { AwayPeriod, Person, RotaShift } from '#kernel/people.js';
import type { CaseCommit, CaseStore, DirectoryWriter } from '#kernel/ports.js';
import type { AuditRecord, DeadlineRecord, EventRecord, StoredCase } from '#kernel/records.js';
import {
  deserializeAggregate,
  serializeAggregate,
  storedCaseOf,
  toAuditRecord,
  toDeadlineRecord,
} from '../dynamodb/codec.js';
import { reminderAuditRecord } from '../dynamodb/reminder-audit.js';

/** DynamoDB's item size limit. */
const MAX_ITEM_BYTES = 400 * 1024;

/** Copies a plain value the way a round trip through the table would. */
export const copy = <T>(value: T): T => structuredClone(value);

export interface CaseItem {
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

/** `CaseStore.loadEventAndCase` from its two reads, for a store that has no single round trip. */
export async function eventAndCase(
  store: Pick<CaseStore, 'getEventRecord' | 'loadCase'>,
  eventId: string,
  caseId: string,
): Promise<{ recorded?: EventRecord; stored?: StoredCase }> {
  const recorded = await store.getEventRecord(eventId);
  const stored = await store.loadCase(caseId);
  return {
    ...(recorded === undefined ? {} : { recorded }),
    ...(stored === undefined ? {} : { stored }),
  };
}

/** Cases, their audit items and event records: a case store's writes and its reads by case. */
export class MemoryCaseWrites
  implements
    Pick<CaseStore, 'getEventRecord' | 'loadCase' | 'commitCase' | 'listDeadlines' | 'listAudit'>
{
  protected readonly cases = new Map<string, CaseItem>();
  /** caseId → version → the audit item's entries (JSON text) */
  private readonly audits = new Map<string, Map<number, string>>();
  /** caseId → version → the reminder lines committed with it (after its audit in the trail). */
  private readonly reminderLines = new Map<string, Map<number, string>>();
  private readonly committedIds = new Set<string>();

  constructor(readonly events: MemoryEventRecords = new MemoryEventRecords()) {}

  async getEventRecord(eventId: string): Promise<EventRecord | undefined> {
    return this.events.get(eventId);
  }

  async loadCase(caseId: string): Promise<StoredCase | undefined> {
    const item = this.cases.get(caseId);
    if (item === undefined) return undefined;
    return storedCaseOf(item);
  }

  /** Writes a case as if committed at `version` (a starting point: what the table held). */
  seed(aggregate: CaseAggregate, version: number, at = new Date(0)): void {
    this.cases.set(aggregate.caseId, {
      caseId: aggregate.caseId,
      version,
      aggregate: serializeAggregate(aggregate),
      updatedAt: at.toISOString(),
    });
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
    if (commit.audit.length > 0) {
      const audits = this.audits.get(caseId) ?? new Map<number, string>();
      audits.set(version, JSON.stringify(commit.audit.map(toAuditRecord)));
      this.audits.set(caseId, audits);
    }
    if (commit.reminderLines !== undefined && commit.reminderLines.length > 0) {
      const lines = this.reminderLines.get(caseId) ?? new Map<number, string>();
      lines.set(version, JSON.stringify(commit.reminderLines.map(reminderAuditRecord)));
      this.reminderLines.set(caseId, lines);
    }
  }

  /** The projections of every stored case, or of one (the adapter's deadline items). */
  protected projections(caseId?: string): DeadlineRecord[] {
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

  async listAudit(caseId: string): Promise<AuditRecord[]> {
    // The adapter's key order: a version's audit item, then its reminder lines.
    const chunks = [
      ...[...(this.audits.get(caseId) ?? [])].map(([v, json]) => [2 * v, json] as const),
      ...[...(this.reminderLines.get(caseId) ?? [])].map(([v, json]) => [2 * v + 1, json] as const),
    ];
    return chunks
      .sort(([a], [b]) => a - b)
      .flatMap(([, entries]) => JSON.parse(entries) as AuditRecord[]);
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
}

/** The directory's people, away periods and rota shifts: its writes and a person's read. */
export class MemoryDirectoryWrites implements DirectoryWriter {
  protected readonly people = new Map<string, Person>();
  protected readonly away = new Map<string, AwayPeriod[]>();
  protected readonly shifts: RotaShift[] = [];

  constructor(readonly events: MemoryEventRecords = new MemoryEventRecords()) {}

  async getPerson(personId: string): Promise<Person | undefined> {
    const found = this.people.get(personId);
    return found === undefined ? undefined : copy(found);
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

function stripUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
