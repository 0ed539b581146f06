/**
 * The import's store calls (`ImportStore`) on the single table, in as few round trips as they
 * can take:
 *
 * - reads: the event records, case item and settled mark of a stretch of rows, and the people
 *   its rows name, in a strongly consistent BatchGetItem shared with the other stretches asking
 *   in the same turn of the event loop (up to 100 keys a call), so a snapshot's unchanged rows
 *   cost a fraction of a call each;
 * - commits: a stretch's commits in ONE TransactWriteItems (`writeCaseCommits`);
 * - after the timers are set: the reminder audit lines and the settled mark, gathered with
 *   other cases' into BatchWriteItems (`WriteCoalescer`).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Person } from '#kernel/people.js';
import type { CaseCommit } from '#kernel/ports.js';
import type { EventRecord } from '#kernel/records.js';
import { batchGetAll, batchWriteAll } from '#platform/dynamodb/batch.js';
import { busyAware } from '#platform/dynamodb/busy.js';
import { type CaseTable, writeCaseCommits } from '#platform/dynamodb/case-commit.js';
import { storedCaseOf } from '#platform/dynamodb/codec.js';
import { toPerson } from '#platform/dynamodb/directory.js';
import { fromEventItem } from '#platform/dynamodb/event-records.js';
import * as keys from '#platform/dynamodb/keys.js';
import { reminderAuditItems } from '#platform/dynamodb/reminder-audit.js';
import { WriteCoalescer } from '#platform/dynamodb/timer-store.js';
import type { AuditBatch, CaseRead, ImportStore } from './ports.js';

type Key = { pk: string; sk: string };
type Item = Record<string, unknown>;

/** BatchWriteItems of settled cases' audit lines and marks in flight at once. */
const WRITES_IN_FLIGHT = 4;

export class DynamoImportStore implements ImportStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: CaseTable;
  private readonly reads: BatchReader;
  private readonly writes: WriteCoalescer;
  private sequence = 0;

  constructor(client: DynamoDBDocumentClient, tableName: string) {
    this.client = busyAware(client);
    this.table = { client: this.client, tableName, batchRetry: {} };
    this.reads = new BatchReader(this.client, tableName);
    this.writes = new WriteCoalescer(
      (requests) => batchWriteAll(this.client, tableName, requests, 'import reminder audit'),
      WRITES_IN_FLIGHT,
    );
  }

  async readCase(caseId: string, eventIds: readonly string[]): Promise<CaseRead> {
    const wanted = [...eventIds.map(keys.event), keys.case(caseId), keys.importSettled(caseId)];
    const found = await this.reads.get(wanted);
    const records = new Map<string, EventRecord>();
    eventIds.forEach((id, i) => {
      const item = found[i];
      if (item !== undefined) records.set(id, fromEventItem(item));
    });
    const caseItem = found[eventIds.length];
    const settled = found[eventIds.length + 1];
    return {
      records,
      stored: caseItem === undefined ? undefined : storedCaseOf(caseItem),
      settledVersion: settled?.version as number | undefined,
    };
  }

  /**
   * A person named by a row, for its answer's warnings: read with the other stretches' reads
   * of the same turn (a case's people cost a share of a BatchGetItem, not a GetItem each).
   */
  async getPerson(personId: string): Promise<Person | undefined> {
    const [item] = await this.reads.get([keys.person(personId)]);
    return item === undefined ? undefined : toPerson(item);
  }

  commitCases(commits: readonly CaseCommit[]): Promise<void> {
    return writeCaseCommits(this.table, commits);
  }

  async settle(caseId: string, audit: readonly AuditBatch[], version?: number): Promise<void> {
    const items: Item[] = audit.flatMap((batch) =>
      reminderAuditItems(batch.entries, batch.caseVersion, () => this.sequence++),
    );
    if (version !== undefined)
      items.push({ ...keys.importSettled(caseId), entity: 'import-settled', caseId, version });
    await this.writes.submit(items.map((Item) => ({ PutRequest: { Item } })));
  }
}

/**
 * Strongly consistent reads from concurrent callers, gathered for one turn of the event loop
 * and read together (`batchGetAll`: 100 keys a BatchGetItem), each caller answered its own keys.
 */
class BatchReader {
  private waiting: {
    keys: Key[];
    done: (items: (Item | undefined)[]) => void;
    fail: (e: unknown) => void;
  }[] = [];

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  get(wanted: Key[]): Promise<(Item | undefined)[]> {
    return new Promise((done, fail) => {
      if (this.waiting.length === 0) setImmediate(() => this.flush());
      this.waiting.push({ keys: wanted, done, fail });
    });
  }

  private flush(): void {
    const asked = this.waiting;
    this.waiting = [];
    batchGetAll(
      this.client,
      this.tableName,
      asked.flatMap((r) => r.keys),
      'import BatchGetItem',
    ).then(
      (items) => {
        let at = 0;
        for (const r of asked) {
          r.done(items.slice(at, at + r.keys.length));
          at += r.keys.length;
        }
      },
      (error: unknown) => {
        for (const r of asked) r.fail(error);
      },
    );
  }
}
