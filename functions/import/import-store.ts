/**
 * The import's store calls (`ImportStore`) over the shared ports, for stores with no batched
 * calls of their own: the in-memory stores of tests and benchmarks, and a dry run's overlay
 * (whose writes must stay in memory). Each read and commit is the port's own, one at a time;
 * the settled marks are kept in memory for the life of this object.
 */
import type { CaseCommit, CaseStore, ReminderAudit } from '#kernel/ports.js';
import type { EventRecord } from '#kernel/records.js';
import type { AuditBatch, CaseRead, ImportStore } from './ports.js';

export class PortImportStore implements ImportStore {
  private readonly settled = new Map<string, number>();

  constructor(
    private readonly ports: {
      store: Pick<CaseStore, 'getEventRecord' | 'loadCase' | 'commitCase'>;
      reminderAudit?: ReminderAudit | undefined;
    },
  ) {}

  async readCase(caseId: string, eventIds: readonly string[]): Promise<CaseRead> {
    const records = new Map<string, EventRecord>();
    for (const id of eventIds) {
      const found = await this.ports.store.getEventRecord(id);
      if (found !== undefined) records.set(id, found);
    }
    const stored = await this.ports.store.loadCase(caseId);
    return { records, stored, settledVersion: this.settled.get(caseId) };
  }

  async commitCases(commits: readonly CaseCommit[]): Promise<void> {
    for (const commit of commits) await this.ports.store.commitCase(commit);
  }

  async settle(caseId: string, audit: readonly AuditBatch[], version?: number): Promise<void> {
    for (const batch of audit)
      await this.ports.reminderAudit?.append(batch.entries, batch.caseVersion);
    if (version !== undefined) this.settled.set(caseId, version);
  }
}
