/**
 * The tools that talk to a running `npm start` — `npm run demo` and `npx timescales send` — in
 * child processes, against the local server on a port of its own: they find it through PORT
 * (or BASE_URL) and sign with `npm start`'s development secret unless WEBHOOK_SECRET says
 * otherwise.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_WEBHOOK_SECRET } from '#bin/local-defaults.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { freePort } from '#functions/local/standins.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { AUTHORITY, freshTable, TEST_SECRET } from '#test/api/support.js';
import { childEnv, run } from './support.js';

const SEND = ['bin/timescales.js', 'send'];

describe('tools against a running local server', () => {
  let server: LocalServer;

  beforeAll(async () => {
    // Prepare: the server `npm start` runs, on a port of its own, with the development secret.
    const endpoint = inject('dynamoEndpoint');
    const { tableName } = await freshTable(endpoint, 'local-tools');
    server = await startLocalServer({
      port: 0,
      dynamoEndpoint: endpoint,
      tableName,
      webhookSecret: DEV_WEBHOOK_SECRET,
      engine: makeCaseEngine(AUTHORITY),
    });
  });

  afterAll(async () => {
    await server?.close();
  });

  const caseStatus = async (caseId: string) =>
    (await fetch(`${server.url}/v1/cases/${caseId}`)).status;

  it('npm run demo sends its events to the server on PORT and prints the deadlines', async () => {
    // Act
    const demo = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      env: childEnv({ PORT: String(server.port) }),
    });

    // Assess
    expect(demo.code, demo.stderr).toBe(0);
    expect(demo.stdout).toContain(`Sending 13 signed events to http://127.0.0.1:${server.port}`);
    expect(demo.stdout).toMatch(/^202 {2}lado\.concern-raised/m);
    expect(demo.stdout).toMatch(/^ {2}lado-notification +open/m);
    expect(await caseStatus('C-1001')).toBe(200);
  });

  it('npm run demo --help says where it looks for the server', async () => {
    const help = await run(process.execPath, ['--import', 'tsx', 'scripts/demo.ts', '--help'], {
      env: childEnv({}),
    });
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/PORT/);
    expect(help.stdout).toMatch(/BASE_URL/);
  });

  it('send signs JSON Lines from stdin and posts them in order to the server on PORT', async () => {
    // Prepare
    const lines = [
      { id: 'send-1', type: 'case.opened', caseId: 'C-2001', data: { team: 'north' } },
      {
        id: 'send-2',
        type: 'lado.concern-raised',
        caseId: 'C-2001',
        data: { allegationId: 'A-1' },
      },
    ].map((e) => JSON.stringify({ ...e, occurredAt: '2026-05-22T15:30:00Z' }));

    // Act
    const sent = await run(process.execPath, SEND, {
      env: childEnv({ PORT: String(server.port) }),
      input: `${lines.join('\n')}\n`,
    });

    // Assess
    expect(sent.code, sent.stderr).toBe(0);
    expect(
      sent.stdout
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { id: 'send-1', type: 'case.opened', status: 202 },
      { id: 'send-2', type: 'lado.concern-raised', status: 202 },
    ]);
    const deadlines = (await (await fetch(`${server.url}/v1/cases/C-2001/deadlines`)).json()) as {
      deadlines: { rule: string }[];
    };
    expect(deadlines.deadlines.map((d) => d.rule)).toEqual(['lado-notification']);
  });

  it('send reads a JSON array from a file and posts to BASE_URL', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'timescales-send-')), 'events.json');
    writeFileSync(
      file,
      JSON.stringify([
        {
          id: 'send-file-1',
          type: 'case.opened',
          occurredAt: '2026-05-22T15:30:00Z',
          caseId: 'C-2002',
          data: { team: 'north' },
        },
      ]),
    );

    // Act: PORT points nowhere; BASE_URL wins.
    const sent = await run(process.execPath, [...SEND, file], {
      env: childEnv({ PORT: '1', BASE_URL: server.url }),
    });

    // Assess
    expect(sent.code, sent.stderr).toBe(0);
    expect(await caseStatus('C-2002')).toBe(200);
  });

  it('send stops at the first refused event, names the field, and exits 1', async () => {
    // Prepare: the second event lacks its team; the third must then not be sent.
    const events = [
      { id: 'refuse-1', type: 'case.opened', caseId: 'C-2003', data: { team: 'north' } },
      { id: 'refuse-2', type: 'case.opened', caseId: 'C-2004', data: {} },
      { id: 'refuse-3', type: 'case.opened', caseId: 'C-2005', data: { team: 'north' } },
    ].map((e) => ({ ...e, occurredAt: '2026-05-22T15:30:00Z' }));

    // Act
    const sent = await run(process.execPath, SEND, {
      env: childEnv({ PORT: String(server.port) }),
      input: JSON.stringify(events),
    });

    // Assess
    expect(sent.code).toBe(1);
    expect(sent.stdout.trimEnd().split('\n')).toHaveLength(1);
    expect(sent.stderr).toMatch(
      /^timescales: event refuse-2 \(case\.opened\) was refused with 400: .*data\.team/,
    );
    expect(await caseStatus('C-2003')).toBe(200);
    expect(await caseStatus('C-2005')).toBe(404);
  });

  it('send signs with WEBHOOK_SECRET when it is set (here not the server’s: 401)', async () => {
    // Act
    const sent = await run(process.execPath, SEND, {
      env: childEnv({ PORT: String(server.port), WEBHOOK_SECRET: TEST_SECRET }),
      input: JSON.stringify({
        id: 'wrong-secret-1',
        type: 'case.opened',
        occurredAt: '2026-05-22T15:30:00Z',
        caseId: 'C-2006',
        data: { team: 'north' },
      }),
    });

    // Assess
    expect(sent.code).toBe(1);
    expect(sent.stderr).toMatch(/was refused with 401: the signature does not match/);
  });

  it('send says in one line when no server answers', async () => {
    // Act
    const port = await freePort();
    const sent = await run(process.execPath, SEND, {
      env: childEnv({ PORT: String(port) }),
      input: '{"id":"nobody-1"}',
    });

    // Assess
    expect(sent.code).toBe(1);
    expect(sent.stderr.trimEnd()).toMatch(
      new RegExp(
        `^timescales: cannot reach http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\): is \`npm start\` running\\?`,
      ),
    );
    expect(sent.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('send refuses input that is not JSON, naming the line, and sends nothing', async () => {
    const sent = await run(process.execPath, SEND, {
      env: childEnv({ PORT: String(server.port) }),
      input: '{"id":"bad-json-1","type":"case.opened","caseId":"C-2007"}\nnot json\n',
    });
    expect(sent.code).toBe(2);
    expect(sent.stderr).toMatch(/^timescales: stdin line 2 is not JSON/);
    expect(sent.stdout).toBe('');
  });
});
