/**
 * `npx timescales import` against a running local mode, as an integrator runs it: the CLI in a
 * child process writing to `npm start`'s DynamoDB Local (`--endpoint`), the result read back
 * through the local server's routes. The files are test/fixtures/import/*.
 */
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DEV_WEBHOOK_SECRET } from '#bin/local-defaults.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { AUTHORITY, freshTable, snapshot } from '#test/api/support.js';
import { childEnv, ROOT, run } from './support.js';

const FIXTURES = join(ROOT, 'test/fixtures/import');
const fixture = (name: string) => join(FIXTURES, name);

describe('timescales import into a running local mode', () => {
  let server: LocalServer;
  let endpoint: string;
  let tableName: string;
  let client: Awaited<ReturnType<typeof freshTable>>['client'];

  const timescales = (...args: string[]) =>
    run(
      process.execPath,
      ['bin/timescales.js', ...args, '--endpoint', endpoint, '--table', tableName],
      // The authority the server runs with, so both compute alike.
      { env: childEnv({ AUTHORITY_CONFIG: JSON.stringify(AUTHORITY) }), timeoutMs: 120_000 },
    );
  const importJson = async (file: string, ...flags: string[]) => {
    const done = await timescales('import', file, '--json', ...flags);
    return { code: done.code, stderr: done.stderr, report: JSON.parse(done.stdout || '{}') };
  };
  const get = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  beforeAll(async () => {
    endpoint = inject('dynamoEndpoint');
    ({ client, tableName } = await freshTable(endpoint, 'import-e2e'));
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

  it('imports a CSV set and an NDJSON file: the directory, the cases and their clocks', async () => {
    // Act
    const results = [];
    for (const file of ['people.csv', 'cases.csv', 'supervisions.csv', 'events.ndjson'])
      results.push(await importJson(fixture(file)));

    // Assess: every row imported, nothing refused
    for (const { code, stderr, report } of results) {
      expect(code, stderr).toBe(0);
      expect(report.tally.refused).toBe(0);
      expect(report.tally.imported).toBe(report.tally.rows);
    }
    expect(results.map((r) => [r.report.shape, r.report.tally.rows])).toEqual([
      ['ssd_professionals', 3],
      ['cases', 3],
      ['supervisions', 1],
      [undefined, 2],
    ]);
    // The LADO concern raised at 08:00 on 4 March: notification due 24 hours later
    const lado = await get('/v1/cases/C-1001/deadlines');
    expect(lado.body.deadlines).toEqual([
      expect.objectContaining({
        id: 'lado-notification.A-1',
        status: 'open',
        dueAt: '2030-03-05T08:00:00.000Z',
      }),
    ]);
    // C-1002 is high risk with joint working: its last joint supervision, on 20 February
    // (midnight London), starts the next clock at the high-risk interval of 3 months — due
    // 20 May 2030, a Monday, at close of business (17:00 BST = 16:00 UTC)
    const joint = await get('/v1/cases/C-1002/deadlines');
    expect(joint.body.deadlines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          rule: 'joint-supervision',
          status: 'open',
          startedAt: '2030-02-20T00:00:00.000Z',
          dueAt: '2030-05-20T16:00:00.000Z',
        }),
      ]),
    );
    // The case's facts and workers came from its row
    const facts = (await get('/v1/cases/C-1002')).body.facts as Record<string, unknown>;
    expect(facts.riskLevel).toBe('high');
    expect(facts.workers).toEqual([
      { personId: 'P-0001', role: 'allocated-worker' },
      { personId: 'P-0002', role: 'team-manager' },
    ]);
  });

  it('re-imports the same files: every row unchanged, the table exactly as it was', async () => {
    // Prepare
    const before = await snapshot(client, tableName);

    // Act
    const results = [];
    for (const file of ['people.csv', 'cases.csv', 'supervisions.csv', 'events.ndjson'])
      results.push(await importJson(fixture(file)));

    // Assess
    for (const { code, report } of results) {
      expect(code).toBe(0);
      expect(report.tally.unchanged).toBe(report.tally.rows);
      expect(report.tally.imported).toBe(0);
    }
    expect(await snapshot(client, tableName)).toBe(before);
  });

  it('imports a file with bad rows: the good ones land, each bad one is reported with its line', async () => {
    // Act
    const { code, report } = await importJson(fixture('bad.csv'));
    const text = await timescales('import', fixture('bad.csv'));

    // Assess: exit 1; lines 3–6 refused, each with its column and the API's problem
    expect(code).toBe(1);
    expect(report.tally).toEqual({ rows: 6, imported: 2, unchanged: 0, refused: 4 });
    expect(
      report.refused.map((r: { line: number; column?: string; problem: { status: number } }) => [
        r.line,
        r.column,
        r.problem.status,
      ]),
    ).toEqual([
      [3, 'risk_level', 400],
      [4, undefined, 400],
      [5, 'joint_with_mental_health', 400],
      [6, 'workers', 400],
    ]);
    expect((await get('/v1/cases/C-2001')).status).toBe(200);
    expect((await get('/v1/cases/C-2006')).status).toBe(200);
    expect((await get('/v1/cases/C-2002')).status).toBe(404);
    // For a person: the summary, then each refused row as file:line (column): problem
    expect(text.code).toBe(1);
    expect(text.stdout).toMatch(
      /^bad\.csv \(CSV cases\): 6 rows — 0 imported, 2 unchanged, 4 refused$/m,
    );
    expect(text.stdout).toMatch(
      /^ {2}bad\.csv:3 \(column risk_level\): The request is not valid — /m,
    );
    // Not a terminal: no progress bar
    expect(text.stderr).not.toContain('[#');
  });

  it('a snapshot lists the open cases it lacks and closes them only with --close-missing', async () => {
    // Act
    const listed = await importJson(fixture('snapshot.csv'), '--snapshot');
    const dryClose = await timescales(
      'import',
      fixture('snapshot.csv'),
      '--snapshot',
      '--close-missing',
      '--dry-run',
    );
    const stillOpen = await get('/v1/cases/C-1003');
    const closed = await importJson(fixture('snapshot.csv'), '--snapshot', '--close-missing');

    // Assess: C-1003 (and the two cases of bad.csv) are missing; C-1001 and C-1002 are not
    expect(listed.code).toBe(0);
    expect(listed.report.snapshot.missing).toEqual(['C-1003', 'C-2001', 'C-2006']);
    expect(listed.report.snapshot.closed).toEqual([]);
    expect(dryClose.stdout).toContain('would be closed: C-1003, C-2001, C-2006');
    expect((stillOpen.body.facts as { status: string }).status).toBe('open');
    expect(closed.report.snapshot.closed).toEqual(['C-1003', 'C-2001', 'C-2006']);
    expect(((await get('/v1/cases/C-1003')).body.facts as { status: string }).status).toBe(
      'closed',
    );
  });

  it('a dry run writes nothing and says what would change', async () => {
    // Prepare: a new case and a LADO concern on it
    const dir = mkdtempSync(join(tmpdir(), 'import-dry-'));
    const file = join(dir, 'new.ndjson');
    writeFileSync(
      file,
      `${[
        '{"id":"dry-1","type":"case.opened","occurredAt":"2030-03-04T08:00:00Z","caseId":"C-3001","data":{"team":"north","workers":[{"personId":"P-0004","role":"lado"}]}}',
        '{"id":"dry-2","type":"lado.concern-raised","occurredAt":"2030-03-04T08:00:00Z","caseId":"C-3001","data":{"allegationId":"A-9"}}',
      ].join('\n')}\n`,
    );
    const before = await snapshot(client, tableName);

    // Act
    const dry = await timescales('import', file, '--dry-run');

    // Assess
    expect(dry.code, dry.stderr).toBe(0);
    expect(await snapshot(client, tableName)).toBe(before);
    expect(dry.stdout).toContain('new.ndjson (NDJSON events): 2 rows — 2 would be imported');
    expect(dry.stdout).toContain('Cases: 1 would be created, 0 updated');
    // Due 24 hours after 08:00 on Monday 4 March 2030, in London time (GMT until 31 March),
    // with the engine's explanation under it
    expect(dry.stdout).toMatch(
      /^ {2}C-3001 \(created\)\n {4}lado-notification\.A-9: open, due Tuesday 5 March 2030, 08:00 \(GMT\)\n {6}\S/m,
    );
  });

  it('refuses what it cannot use with exit code 2: an unknown CSV header, a bad flag', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-usage-'));
    const unknown = join(dir, 'unknown.csv');
    writeFileSync(unknown, 'colour,size\nred,large\n');
    copyFileSync(fixture('cases.csv'), join(dir, 'cases.csv'));

    const header = await timescales('import', unknown);
    const flag = await timescales('import', join(dir, 'cases.csv'), '--close-missing');
    const help = await run(process.execPath, ['bin/timescales.js', 'import', '--help'], {
      env: childEnv({}),
    });

    expect(header.code).toBe(2);
    expect(header.stderr).toContain('matches no CSV shape');
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('--close-missing needs --snapshot');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--snapshot');
  });

  it('refuses a misspelt column with exit code 2 before writing anything; lists extract columns once', async () => {
    // Prepare: a high-risk joint case whose two columns are misspelt, the same row spelt right
    // beside columns of an SSD extract the import does not use
    const dir = mkdtempSync(join(tmpdir(), 'import-columns-'));
    const misspelt = join(dir, 'misspelt.csv');
    writeFileSync(
      misspelt,
      'case_id,opened_at,team,risk_levle,joint_with_mental_heath\nC-3101,2030-01-10,north,high,Y\n',
    );
    const extract = join(dir, 'extract.csv');
    writeFileSync(
      extract,
      'case_id,opened_at,team,risk_level,la_code,extract_date\nC-3102,2030-01-10,north,high,E09,2030-02-01\n',
    );
    const before = await snapshot(client, tableName);

    // Act
    const refused = await timescales('import', misspelt);
    const strict = await timescales('import', extract, '--strict');
    const after = await snapshot(client, tableName);
    const lenient = await timescales('import', extract);

    // Assess: both refusals exit 2 and write nothing; without --strict the row lands and the
    // unused columns are named once, on stderr
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(
      'column `risk_levle` is not known — did you mean `risk_level`?; column `joint_with_mental_heath` is not known — did you mean `joint_with_mental_health`?',
    );
    expect(strict.code).toBe(2);
    expect(strict.stderr).toContain(
      'columns `la_code`, `extract_date` are not known to the cases shape (--strict refuses them)',
    );
    expect(after).toBe(before);
    expect(lenient.code, lenient.stderr).toBe(0);
    expect(lenient.stderr).toBe(
      'timescales: extract.csv: 2 columns ignored (the cases shape does not use them): `la_code`, `extract_date`\n',
    );
  });
});
