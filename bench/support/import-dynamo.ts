/**
 * bench:import's DynamoDB Local parts: everything on ONE DynamoDB Local run as `npm start` runs
 * it (its data on disk), so the ratios compare like with like.
 *
 * - store: what the store alone sustains — one 5-item TransactWriteItems per event (an event
 *   record, a case, its audit item, two deadline projections), 16 in flight;
 * - import: `timescales import --endpoint` as it runs (the import's DynamoDB wiring, timers to
 *   the local driver's timer store), cases of four events, at its default concurrency;
 * - webhook: the local server (`npm start`'s handlers, timers to the timer store) in its own
 *   process, 16 requests in flight, each in-flight slot sending one case's four events in order.
 * They alternate, so each sees the same machine; events per second are compared.
 * - reconciliation: a `cases` CSV of RECONCILE_CASES rows imported, then the same file again
 *   with `--snapshot` (every row unchanged): its wall-clock time.
 *
 * Every DynamoDB call the import makes is counted by command (a middleware on its client), with
 * its mean latency, for the AWS estimate in docs/import.md.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { type ImportOptions, importRows } from '#functions/import/import-file.js';
import { openRows } from '#functions/import/records.js';
import { availableShapes } from '#functions/import/shapes.js';
import { importDeps } from '#functions/import/wiring.js';
import { openSchedulerStore, startDynamoDbLocal } from '#functions/local/standins.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { systemClock } from '#kernel/ports.js';
import { dynamoClientConfig, makeDocumentClient } from '#platform/clients.js';
import { calendarFeed } from '#platform/dynamodb/calendar-feed.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { BENCH_SECRET, makeSigner } from './events.js';
import { startServerChild, stopChild } from './server.js';
import { closedLoop } from './stats.js';
import { storeOnlyEvent } from './store-baselines.js';

export const IN_FLIGHT = 16;

/** DynamoDB calls by command: how many, and their total time. */
export class CallCounter {
  readonly calls = new Map<string, { n: number; ms: number }>();
  timers = { scheduled: 0, cancelled: 0 };

  attach(client: DynamoDBDocumentClient): void {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const start = performance.now();
        try {
          return await next(args);
        } finally {
          const name = context.commandName ?? 'unknown';
          const seen = this.calls.get(name) ?? { n: 0, ms: 0 };
          seen.n++;
          seen.ms += performance.now() - start;
          this.calls.set(name, seen);
        }
      },
      { step: 'initialize', name: 'benchCallCounter' },
    );
  }

  reset(): void {
    this.calls.clear();
    this.timers = { scheduled: 0, cancelled: 0 };
  }

  total(): number {
    return [...this.calls.values()].reduce((sum, c) => sum + c.n, 0);
  }

  /** `BatchGetItem 250 (4.1 ms), …` per `per` units. */
  describe(per: number): string {
    return [...this.calls]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(
        ([name, c]) =>
          `${name.replace(/Command$/, '')} ${(c.n / per).toFixed(2)} (mean ${(c.ms / c.n).toFixed(1)} ms)`,
      )
      .join(', ');
  }
}

/** Four events for each of `cases` cases, as NDJSON lines (bench:import's mix). */
export function* caseLines(tag: string, cases: number, firstCase = 1): Generator<string> {
  for (let n = firstCase; n < firstCase + cases; n++) {
    const caseId = `C-${tag}-${n}`;
    const day = String(1 + (n % 28)).padStart(2, '0');
    const at = `2030-02-${day}T10:00:00Z`;
    const event = (i: number, type: string, data: unknown) =>
      `${JSON.stringify({ id: `${caseId}-${i}`, type, caseId, occurredAt: at, data })}\n`;
    yield event(1, 'case.opened', {
      team: `team-${n % 40}`,
      jointWithMentalHealth: n % 3 === 0,
      workers: [
        { personId: `P-${n % 500}`, role: 'allocated-worker' },
        { personId: `P-${500 + (n % 50)}`, role: 'team-manager' },
        { personId: 'P-9001', role: 'lado' },
      ],
    });
    yield event(2, 'lado.concern-raised', { allegationId: 'A-1' });
    yield event(3, 'supervision.held', { kind: 'joint' });
    yield event(4, 'disagreement.raised', { disagreementId: 'D-1' });
  }
}

/** A DynamoDB Local as `npm start` runs it, with a fresh table, and the import's wiring on it. */
export async function localStore(authority: AuthorityConfig) {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-import-dynamo-'));
  const local = await startDynamoDbLocal({ dataDir, sharedDb: false });
  const tableName = `bench-import-${process.pid}`;
  await createTable(new DynamoDBClient(dynamoClientConfig(local.endpoint)), tableName);
  const client = makeDocumentClient({ endpoint: local.endpoint });
  const counter = new CallCounter();
  counter.attach(client);
  const engine = makeCaseEngine(authority, undefined, {
    feed: await calendarFeed(client, tableName),
  });
  // The scheduler stand-in's database, as `timescales import --endpoint` sets timers.
  const { store: timers } = await openSchedulerStore(local.endpoint, tableName);
  const { deps } = importDeps({
    client,
    tableName,
    engine,
    scheduler: {
      schedule: (list) => {
        counter.timers.scheduled += list.length;
        return timers.put(list);
      },
      cancel: (names) => {
        counter.timers.cancelled += names.length;
        return timers.delete(names);
      },
    },
    clock: systemClock,
  });
  return {
    endpoint: local.endpoint,
    tableName,
    client,
    counter,
    /** Imports `lines` (NDJSON or CSV) as `timescales import --endpoint` does; wall seconds. */
    async importText(lines: Iterable<string>, options: ImportOptions = {}) {
      const start = performance.now();
      const file = await openRows(Readable.from(lines), { shapes: availableShapes(EVENT_TYPES) });
      const result = await importRows(file.rows, deps, { shape: file.shape, ...options });
      return { seconds: (performance.now() - start) / 1000, result };
    },
    async stop() {
      client.destroy();
      await local.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The store's own rate: one 5-item TransactWriteItems per event, IN_FLIGHT in flight. */
export async function storeRate(
  endpoint: string,
  tableName: string,
  tag: string,
  seconds: number,
): Promise<number> {
  const client = makeDocumentClient({ endpoint });
  const rate = await closedLoop(IN_FLIGHT, seconds, (n) =>
    client.send(
      new TransactWriteCommand({
        TransactItems: storeOnlyEvent(tableName, tag, n, {
          conditionalCase: false,
          reminderLine: false,
        }),
      }),
    ),
  );
  client.destroy();
  return rate;
}

/** The local server (timers to the timer store) in its own process on the same table. */
export async function webhookServer(endpoint: string, tableName: string, authority: unknown) {
  const { child, url } = await startServerChild({
    DYNAMODB_ENDPOINT: endpoint,
    TABLE_NAME: tableName,
    WEBHOOK_SECRET: BENCH_SECRET,
    AUTHORITY_CONFIG: JSON.stringify(authority),
    TIMER_STORE: '1',
  });
  const sign = makeSigner();
  return {
    /**
     * Events per second over `seconds`: IN_FLIGHT senders, each taking the next case and
     * POSTing its four events in order (a sender waits for each answer, as a case system does).
     */
    async rate(tag: string, seconds: number): Promise<{ perSecond: number; failed: number }> {
      let next = 1;
      let events = 0;
      let failed = 0;
      const until = Date.now() + seconds * 1000;
      const start = performance.now();
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (Date.now() < until) {
            for (const body of caseLines(tag, 1, next++)) {
              const response = await fetch(`${url}/v1/events`, {
                method: 'POST',
                headers: { 'content-type': 'application/json', ...sign(body.trim()) },
                body: body.trim(),
              });
              await response.arrayBuffer();
              if (response.status === 202) events++;
              else failed++;
            }
          }
        }),
      );
      return { perSecond: events / ((performance.now() - start) / 1000), failed };
    },
    stop: () => stopChild(child),
  };
}

/** A `cases` CSV of `cases` rows (the daily snapshot's shape). */
export function* casesCsv(tag: string, cases: number): Generator<string> {
  yield 'case_id,opened_at,team,risk_level,joint_with_mental_health,workers\n';
  for (let n = 1; n <= cases; n++) {
    yield `C-${tag}-${n},2030-02-${String(1 + (n % 28)).padStart(2, '0')} 10:00,team-${n % 40},${n % 5 === 0 ? 'high' : 'standard'},${n % 3 === 0 ? 'Y' : 'N'},P-${n % 500} allocated-worker; P-${500 + (n % 50)} team-manager\n`;
  }
}
