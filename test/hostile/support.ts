/** Helpers for the hostile-input tests: a local server on its own table, raw HTTP, checks. */
import { request } from 'node:http';
import { afterAll, beforeAll, expect, inject } from 'vitest';
import { type LocalServer, RecordingScheduler, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { signWebhook } from '#platform/webhook.js';
import { Problem } from '#schemas/problem.js';
import { AUTHORITY, envelope, freshTable, snapshot, TEST_SECRET } from '#test/api/support.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One request with the path sent byte for byte (fetch would normalise `..` and `%2e`).
 * The path must be ASCII; callers percent-encode anything else.
 */
export function raw(
  server: LocalServer,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: Buffer | string,
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.end(body);
    else req.end();
  });
}

/** A local server (the real handlers) on a fresh DynamoDB Local table. */
async function hostileServer(prefix: string, now = new Date('2026-03-02T12:00:00Z')) {
  const endpoint = inject('dynamoEndpoint');
  const table = await freshTable(endpoint, prefix);
  const scheduler = new RecordingScheduler();
  const server = await startLocalServer({
    port: 0,
    dynamoEndpoint: endpoint,
    tableName: table.tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(AUTHORITY),
    scheduler,
    clock: { now: () => now },
  });
  return { server, table, scheduler };
}

/** What every JSON answer carries, success or problem: kept by no cache, never sniffed. */
export function expectJsonHeaders(response: { headers: RawResponse['headers'] }) {
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.headers['x-content-type-options']).toBe('nosniff');
}

/**
 * A refusal: 4xx, RFC 9457 problem+json with type, title, status (matching) and detail, and the
 * JSON headers; a 405 names in `Allow` the methods the path takes, never the one refused.
 */
export function expectProblem(
  response: { status: number; headers: RawResponse['headers']; body: string },
  method = 'GET',
) {
  expect(response.status, response.body).toBeGreaterThanOrEqual(400);
  expect(response.status, response.body).toBeLessThan(500);
  expectJsonHeaders(response);
  if (response.status === 405) {
    const allow = String(response.headers.allow ?? '').split(', ');
    expect(allow.length).toBeGreaterThan(0);
    expect(allow.every((m) => m === 'GET' || m === 'POST')).toBe(true);
    expect(allow).not.toContain(method);
  }
  if (method === 'HEAD') return;
  expect(String(response.headers['content-type'])).toBe('application/problem+json');
  const problem = Problem.parse(JSON.parse(response.body));
  expect(problem.status).toBe(response.status);
  expect(problem.type).toMatch(/^https:\/\/timescales\.dev\/problems\/[a-z-]+$/);
  expect(problem.title.length).toBeGreaterThan(0);
  expect(problem.detail?.length ?? 0).toBeGreaterThan(0);
  return problem;
}

let sent = 0;
/** POST /v1/events, signed over the bytes sent, as a sender signs them. */
function signedPost(
  server: LocalServer,
  body: string | Buffer,
  headers: Record<string, string> = {},
) {
  return raw(
    server,
    'POST',
    '/v1/events',
    {
      'content-type': 'application/json',
      ...signWebhook(TEST_SECRET, body, { id: `msg_hostile_${++sent}` }),
      ...headers,
    },
    body,
  );
}

/** A hostile server whose table already holds `events`, each accepted as a sender sends it. */
async function seededHostileServer(prefix: string, events: unknown[]) {
  const made = await hostileServer(prefix);
  for (const event of events)
    expect((await signedPost(made.server, JSON.stringify(event))).status).toBe(202);
  return made;
}

/** Something to read: a case with deadlines, so reads have real data to trip over. */
export const CASE_TO_READ = [
  envelope.caseOpened('hr-1', 'C-1001'),
  envelope.concern('hr-2', 'C-1001'),
  envelope.disagreement('hr-3', 'C-1001'),
];

/** A case already there, so hostile events meet existing state. */
export const CASE_TO_MEET = [
  envelope.caseOpened('he-1', 'C-1001'),
  envelope.concern('he-2', 'C-1001'),
];

/**
 * A file's hostile server, by its own hooks: before all, a server whose table holds `events`;
 * after all, the server closed, and with `unchanged` the table first held byte for byte to
 * what it was once seeded. Read `server` inside tests, once the hooks have run.
 */
export function hostileSuite(
  prefix: string,
  events: unknown[],
  options: { unchanged?: boolean } = {},
) {
  let made: Awaited<ReturnType<typeof hostileServer>> | undefined;
  let seeded = '';
  const ready = () => {
    if (made === undefined) throw new Error('the hostile server is read before its beforeAll');
    return made;
  };
  const tableNow = () => snapshot(ready().table.client, ready().table.tableName);
  beforeAll(async () => {
    made = await seededHostileServer(prefix, events);
    if (options.unchanged) seeded = await tableNow();
  });
  afterAll(async () => {
    try {
      if (options.unchanged) expect(await tableNow()).toBe(seeded);
    } finally {
      await made?.server.close();
    }
  });
  return {
    get server() {
      return ready().server;
    },
    /** Every item in the table, sorted: compare two to prove a refusal changed nothing. */
    snapshot: tableNow,
    /** POST /v1/events to this server, signed over the bytes sent. */
    post: (body: string | Buffer, headers: Record<string, string> = {}) =>
      signedPost(ready().server, body, headers),
  };
}

/** Percent-encodes every byte outside the unreserved set (lone surrogates become U+FFFD). */
export const pct = (text: string) =>
  [...Buffer.from(text, 'utf8')]
    .map((b) =>
      /[A-Za-z0-9\-._~]/.test(String.fromCharCode(b))
        ? String.fromCharCode(b)
        : `%${b.toString(16).toUpperCase().padStart(2, '0')}`,
    )
    .join('');
