/**
 * A stretch of consecutive rows of one case, applied through the ingest use case in memory
 * before anything is written: the use case reads the case and the rows' event records from
 * one batched read made beforehand (`CaseRead`), and its commits, timer changes and reminder
 * audit lines are held here, to be written together (`case-group.ts`). Each event sees the
 * case exactly as one at a time would have stored it: a commit's aggregate is read back from
 * its JSON text (or, by the use case, taken from its `DecodedCases` for that text), at the
 * next version, with the event now recorded.
 */
import { EventAlreadyRecordedError } from '#kernel/errors.js';
import type { CaseCommit, CaseStore, ReminderAudit, Scheduler } from '#kernel/ports.js';
import type { AuditRecord, EventRecord, StoredCase } from '#kernel/records.js';
import type { Timer } from '#kernel/timers.js';
import { serializeAggregate, storedCaseOf } from '#platform/dynamodb/codec.js';
import { boundMethods, type WriteFlag } from './apply-row.js';
import type { ImportDeps } from './import-file.js';
import type { AuditBatch, CaseRead } from './ports.js';

export class CaseSession {
  /** The commits made, in order (consecutive versions of the case). */
  readonly commits: CaseCommit[] = [];
  /** The reminder audit lines appended, by case version. */
  readonly audit: AuditBatch[] = [];
  /** Set by each commit (the use case's write), cleared by the caller before each event. */
  readonly written: WriteFlag = { wrote: false };
  /** The dependencies the use case runs on: these reads and writes, the rest as given. */
  readonly deps: ImportDeps;
  /** Whether the timers were known to be set for the case as read (or there was no case). */
  readonly settledBefore: boolean;
  private readonly records: Map<string, EventRecord>;
  private current: StoredCase | undefined;
  /** Each timer's last change: set (the timer) or cancelled (null). */
  private readonly timers = new Map<string, Timer | null>();

  constructor(
    readonly caseId: string,
    read: CaseRead,
    real: ImportDeps,
    /** The event ids `read` was asked for: those it lacks are not recorded. */
    asked: readonly string[],
  ) {
    const known = new Set(asked);
    this.records = new Map(read.records);
    this.current = read.stored;
    this.settledBefore = read.stored === undefined || read.settledVersion === read.stored.version;
    const store: CaseStore = {
      ...boundMethods(real.store, [
        'listDeadlines',
        'queryDeadlines',
        'countDeadlines',
        'listOpenCases',
      ]),
      getEventRecord: async (id) =>
        known.has(id) || this.records.has(id)
          ? this.records.get(id)
          : real.store.getEventRecord(id),
      loadCase: async (id) => (id === caseId ? this.current : real.store.loadCase(id)),
      loadEventAndCase: async (eventId, id) => {
        const recorded = await store.getEventRecord(eventId);
        const stored = await store.loadCase(id);
        return {
          ...(recorded === undefined ? {} : { recorded }),
          ...(stored === undefined ? {} : { stored }),
        };
      },
      commitCase: async (commit) => this.commit(commit),
      listAudit: async (id) => [
        ...(await real.store.listAudit(id)),
        ...(id === caseId ? this.auditRecords() : []),
      ],
    };
    const scheduler: Scheduler = {
      schedule: async (list) => {
        for (const timer of list) this.timers.set(timer.name, timer);
      },
      cancel: async (names) => {
        for (const name of names) this.timers.set(name, null);
      },
    };
    const reminderAudit: ReminderAudit = {
      append: async (entries, caseVersion) => {
        this.audit.push({ entries, caseVersion });
      },
    };
    this.deps = {
      ...real,
      store,
      scheduler,
      ...(real.reminderAudit === undefined ? {} : { reminderAudit }),
    };
  }

  /** The case as the stretch leaves it. */
  get stored(): StoredCase | undefined {
    return this.current;
  }

  /** The timers to cancel and to set, each timer's last change only. */
  timerChanges(): { cancel: string[]; schedule: Timer[] } {
    const cancel: string[] = [];
    const schedule: Timer[] = [];
    for (const [name, timer] of this.timers) {
      if (timer === null) cancel.push(name);
      else schedule.push(timer);
    }
    return { cancel, schedule };
  }

  private async commit(commit: CaseCommit): Promise<void> {
    if (commit.caseId !== this.caseId)
      throw new Error(`a stretch of ${this.caseId} committed to ${commit.caseId}`);
    const expected = this.current?.version ?? 0;
    if (commit.expectedVersion !== expected)
      throw new Error(
        `a stretch of ${this.caseId} committed from version ${commit.expectedVersion}`,
      );
    // As the table's condition on the event record would: the use case then replays it.
    if (commit.event !== undefined && this.records.has(commit.event.eventId))
      throw new EventAlreadyRecordedError(commit.event.eventId);
    const afterJson = commit.afterJson ?? serializeAggregate(commit.after);
    // The use case hands its reminder lines over with the commit; an import writes them after
    // the timers are set, with the case marked settled (`case-group.ts`), as it does a redelivery's.
    const { reminderLines, ...change } = commit;
    if (reminderLines !== undefined && reminderLines.length > 0)
      this.audit.push({ entries: reminderLines, caseVersion: expected + 1 });
    this.commits.push({ ...change, afterJson });
    if (commit.event !== undefined) this.records.set(commit.event.eventId, commit.event);
    // The aggregate committed is the one the text was made from (the engine copies before it
    // changes anything), so the stretch's next row need not parse it again.
    this.current = storedCaseOf(
      {
        caseId: this.caseId,
        version: expected + 1,
        aggregate: afterJson,
        updatedAt: commit.now.toISOString(),
      },
      commit.after,
    );
    this.written.wrote = true;
  }

  /** The reminder audit lines held, as the case's trail would list them. */
  private auditRecords(): AuditRecord[] {
    return this.audit.flatMap(({ entries }) =>
      entries.map((e) => ({
        at: e.at.toISOString(),
        kind: e.kind,
        ...(e.deadlineId === undefined ? {} : { deadlineId: e.deadlineId }),
        detail: e.detail,
      })),
    );
  }
}
