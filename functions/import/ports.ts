/**
 * The ports only the import uses: where a drop-bucket object's import stands, and the import's
 * batched calls on the table.
 */
import type { CaseCommit } from '#kernel/ports.js';
import type { EventRecord, ReminderAuditEntry, StoredCase } from '#kernel/records.js';

/** One version of one object in the drop bucket. */
export interface ImportObject {
  bucket: string;
  key: string;
  /** The object's version id, else its ETag. */
  version: string;
}

/** Where an object's import stands: resumed from `nextLine` by a later invocation. */
export interface ImportCheckpoint {
  nextLine: number;
  done: boolean;
  tally: { rows: number; imported: number; unchanged: number; refused: number };
  /** The report's lists so far (refused rows, warnings), as the report writes them. */
  report: unknown;
}

export interface ImportProgressStore {
  load(object: ImportObject): Promise<ImportCheckpoint | undefined>;
  save(object: ImportObject, checkpoint: ImportCheckpoint, now: Date): Promise<void>;
}

/** What one case's stretch of rows reads first: its event records, the case, how far it is settled. */
export interface CaseRead {
  /** The records of the ids asked for that the store holds. */
  records: Map<string, EventRecord>;
  stored?: StoredCase | undefined;
  /**
   * The case version whose timers the import last saw set (its reminder audit written too);
   * undefined when it never did. Equal to `stored.version`: nothing since is unsynchronised.
   */
  settledVersion?: number | undefined;
}

/** The reminder audit lines of one case version, as `ReminderAudit.append` takes them. */
export interface AuditBatch {
  entries: ReminderAuditEntry[];
  caseVersion: number;
}

/**
 * The import's own store calls around the ingest use case: one batched read for a stretch of
 * consecutive rows of one case, their commits in one transaction, and after their timers are
 * set, the reminder audit lines with the case marked settled in one write.
 */
export interface ImportStore {
  readCase(caseId: string, eventIds: readonly string[]): Promise<CaseRead>;
  /**
   * Consecutive commits of one case. All or nothing; `CommitTooLargeError` when they do not
   * fit one write (nothing written), the port's conflict errors as `commitCase` throws them.
   */
  commitCases(commits: readonly CaseCommit[]): Promise<void>;
  /** Appends the audit lines and, when `version` is given, marks the case settled at it. */
  settle(caseId: string, audit: readonly AuditBatch[], version?: number): Promise<void>;
}
