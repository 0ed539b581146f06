/**
 * Whether importing a row wrote anything: the import's store and directory pass every call
 * through to the real ones and note each write. A replayed event (its id already recorded)
 * writes nothing, so the row it came from is `unchanged`; any write makes it `imported`.
 */
import type { CaseCommit, CaseStore, DirectoryWriter } from '#kernel/ports.js';

/** Set by a write through the watched store or directory; the import clears it per event. */
export interface WriteFlag {
  wrote: boolean;
}

/** A case store that notes its commits in `flag`; every read goes straight through. */
export class WatchedCaseStore implements CaseStore {
  constructor(
    private readonly store: CaseStore,
    private readonly flag: WriteFlag,
  ) {}

  async commitCase(commit: CaseCommit): Promise<void> {
    await this.store.commitCase(commit);
    this.flag.wrote = true;
  }

  getEventRecord(...args: Parameters<CaseStore['getEventRecord']>) {
    return this.store.getEventRecord(...args);
  }
  loadCase(...args: Parameters<CaseStore['loadCase']>) {
    return this.store.loadCase(...args);
  }
  loadEventAndCase(...args: Parameters<CaseStore['loadEventAndCase']>) {
    return this.store.loadEventAndCase(...args);
  }
  listDeadlines(...args: Parameters<CaseStore['listDeadlines']>) {
    return this.store.listDeadlines(...args);
  }
  queryDeadlines(...args: Parameters<CaseStore['queryDeadlines']>) {
    return this.store.queryDeadlines(...args);
  }
  countDeadlines(...args: Parameters<CaseStore['countDeadlines']>) {
    return this.store.countDeadlines(...args);
  }
  listAudit(...args: Parameters<CaseStore['listAudit']>) {
    return this.store.listAudit(...args);
  }
  listOpenCases(...args: Parameters<CaseStore['listOpenCases']>) {
    return this.store.listOpenCases(...args);
  }
}

/** A directory writer that notes each write in `flag`. */
export class WatchedDirectoryWriter implements DirectoryWriter {
  constructor(
    private readonly directory: DirectoryWriter,
    private readonly flag: WriteFlag,
  ) {}

  async upsertPerson(...args: Parameters<DirectoryWriter['upsertPerson']>): Promise<void> {
    await this.directory.upsertPerson(...args);
    this.flag.wrote = true;
  }

  async addAway(...args: Parameters<DirectoryWriter['addAway']>): Promise<void> {
    await this.directory.addAway(...args);
    this.flag.wrote = true;
  }

  async addShift(...args: Parameters<DirectoryWriter['addShift']>): Promise<void> {
    await this.directory.addShift(...args);
    this.flag.wrote = true;
  }
}
