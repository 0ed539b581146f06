/**
 * The drop bucket's import Lambda against a local S3 stand-in (s3rver, through the real
 * @aws-sdk/client-s3 client) and DynamoDB Local: the same files as the CLI's end-to-end test,
 * delivered as S3 event notifications (and their EventBridge form); the report written beside
 * each object; a redelivered notification; an invocation that runs out of time and is resumed
 * by line.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateBucketCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler } from '#functions/import/handler.js';
import type { ImportObject, ImportStore } from '#functions/import/ports.js';
import { DynamoImportProgress } from '#functions/import/progress-store.js';
import type { ObjectRunDeps } from '#functions/import/run-object.js';
import { importDeps } from '#functions/import/wiring.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { silentLog } from '#kernel/ports.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { noScheduler } from '#test/support/scheduler.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/import');
const BUCKET = 'timescales-drop';
const NOW = new Date('2030-03-01T09:00:00Z');

/** An S3 event notification for one new object, as S3 sends it (the key URL-encoded). */
const s3Event = (key: string, eTag: string) => ({
  Records: [
    {
      eventSource: 'aws:s3',
      eventName: 'ObjectCreated:Put',
      s3: {
        bucket: { name: BUCKET },
        object: { key: encodeURIComponent(key).replace(/%20/g, '+'), eTag },
      },
    },
  ],
});

describe('the import Lambda on the drop bucket', () => {
  let server: S3rver;
  let s3: S3Client;
  let deps: ObjectRunDeps;
  const continued: ImportObject[] = [];
  const plenty = { getRemainingTimeInMillis: () => 900_000 };

  const put = async (key: string, file: string) => {
    const body = readFileSync(join(FIXTURES, file));
    const { ETag } = await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: body }));
    return (ETag ?? '').replace(/"/g, '');
  };
  const report = async (key: string) => {
    const found = await s3.send(
      new GetObjectCommand({ Bucket: BUCKET, Key: `${key}.report.json` }),
    );
    return JSON.parse(
      await (found.Body as { transformToString(): Promise<string> }).transformToString(),
    );
  };

  beforeAll(async () => {
    // Prepare: s3rver on a free port, the SDK client pointed at it, a fresh table
    server = new S3rver({
      port: 0,
      address: '127.0.0.1',
      silent: true,
      directory: mkdtempSync(join(tmpdir(), 's3rver-')),
    });
    const { port } = await server.run();
    s3 = new S3Client({
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      region: 'eu-west-2',
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      // s3rver predates the SDK's default CRC32 checksums.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    const { client, tableName } = await freshTable(inject('dynamoEndpoint'), 'drop-bucket');
    deps = {
      s3,
      ingest: importDeps({
        client,
        tableName,
        engine: makeCaseEngine(AUTHORITY),
        scheduler: noScheduler,
        clock: { now: () => NOW },
      }).deps,
      progress: new DynamoImportProgress(client, tableName),
      clock: { now: () => NOW },
      log: silentLog,
      continueLater: async (object) => {
        continued.push(object);
      },
      checkpointEvery: 2,
    };
  });

  afterAll(async () => {
    s3?.destroy();
    await server?.close();
  });

  it('imports each dropped file and writes its report beside it', async () => {
    // Act
    const handler = makeHandler(deps);
    const outcomes = [];
    for (const file of ['people.csv', 'cases.csv', 'events.ndjson']) {
      const key = `council/${file}`;
      outcomes.push(await handler(s3Event(key, await put(key, file)), plenty));
    }

    // Assess
    expect(outcomes).toEqual([
      { 'council/people.csv': 'done' },
      { 'council/cases.csv': 'done' },
      { 'council/events.ndjson': 'done' },
    ]);
    const cases = await report('council/cases.csv');
    expect(cases).toMatchObject({
      file: 'cases.csv',
      format: 'csv',
      shape: 'cases',
      tally: { rows: 3, imported: 3, unchanged: 0, refused: 0 },
    });
    expect((await report('council/events.ndjson')).tally.imported).toBe(2);
    expect((await deps.ingest.store.loadCase('C-1001'))?.aggregate.deadlines[0]?.id).toBe(
      'lado-notification.A-1',
    );
  });

  it('does nothing for a redelivered notification or for its own reports', async () => {
    const handler = makeHandler(deps);
    const eTag = await put('again/cases.csv', 'cases.csv');

    const first = await handler(s3Event('again/cases.csv', eTag), plenty);
    const redelivered = await handler(s3Event('again/cases.csv', eTag), plenty);
    const ownReport = await handler(s3Event('again/cases.csv.report.json', 'x'), plenty);

    // The same rows under another key: content ids make every row unchanged
    expect(first).toEqual({ 'again/cases.csv': 'done' });
    expect((await report('again/cases.csv')).tally).toEqual({
      rows: 3,
      imported: 0,
      unchanged: 3,
      refused: 0,
    });
    expect(redelivered).toEqual({ 'again/cases.csv': 'already-done' });
    expect(ownReport).toEqual({ 'again/cases.csv.report.json': 'ignored' });
  });

  it('reports each bad row with its line, and takes the EventBridge form of the notification', async () => {
    const counted: [string, number | undefined][] = [];
    const handler = makeHandler({
      ...deps,
      metrics: { count: (name, value) => counted.push([name, value]) },
    });
    const etag = await put('bad file.csv', 'bad.csv');

    const outcome = await handler(
      {
        'detail-type': 'Object Created',
        detail: { bucket: { name: BUCKET }, object: { key: 'bad file.csv', etag } },
      },
      plenty,
    );

    expect(outcome).toEqual({ 'bad file.csv': 'done' });
    // The four refusals are counted once, for the alarm that tells somebody to fix the file
    expect(counted).toEqual([['ImportRowsRefused', 4]]);
    const bad = await report('bad file.csv');
    expect(bad.tally).toEqual({ rows: 6, imported: 2, unchanged: 0, refused: 4 });
    expect(bad.refused.map((r: { line: number; column?: string }) => [r.line, r.column])).toEqual([
      [3, 'risk_level'],
      [4, undefined],
      [5, 'joint_with_mental_health'],
      [6, 'workers'],
    ]);
  });

  it('refuses a file whose header it does not know, says why in the report and counts it', async () => {
    // Prepare: a spreadsheet export with columns no shape has
    const { ETag } = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'notes.csv', Body: 'colour,size\nred,9\n' }),
    );
    const counted: [string, number | undefined][] = [];
    const handler = makeHandler({
      ...deps,
      metrics: { count: (name, value) => counted.push([name, value]) },
    });

    // Act
    const outcome = await handler(s3Event('notes.csv', (ETag ?? '').replace(/"/g, '')), plenty);

    // Assess: done (a redelivery must not retry it), the reason written, the alarm's metric
    expect(outcome).toEqual({ 'notes.csv': 'done' });
    expect((await report('notes.csv')).unusable).toEqual(expect.any(String));
    expect(counted).toEqual([['ImportFileUnusable', undefined]]);
  });

  it('stops before it runs out of time, hands on, and the next invocation resumes by line', async () => {
    // Prepare: a file of 12 case events; time runs short after the 5th row
    const lines = Array.from({ length: 12 }, (_, i) =>
      JSON.stringify({
        id: `resume-${i + 1}`,
        type: 'case.opened',
        caseId: `C-5${String(i + 1).padStart(3, '0')}`,
        occurredAt: '2030-03-01T08:00:00Z',
        data: { team: 'north' },
      }),
    );
    const body = `${lines.join('\n')}\n`;
    const { ETag } = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'big.ndjson', Body: body }),
    );
    const event = s3Event('big.ndjson', (ETag ?? '').replace(/"/g, ''));
    let asked = 0;
    const short = { getRemainingTimeInMillis: () => (asked++ < 5 ? 900_000 : 30_000) };
    const handler = makeHandler(deps);
    continued.length = 0;

    // Act
    const first = await handler(event, short);
    const handedOn = continued[0];
    const second =
      handedOn === undefined ? undefined : await handler({ continue: handedOn }, plenty);

    // Assess: 5 rows, then a continuation for the same object from line 6, then the rest
    expect(first).toEqual({ 'big.ndjson': 'continued' });
    expect(handedOn).toEqual({ bucket: BUCKET, key: 'big.ndjson', version: ETag });
    expect(second).toEqual({ 'big.ndjson': 'done' });
    expect((await report('big.ndjson')).tally).toEqual({
      rows: 12,
      imported: 12,
      unchanged: 0,
      refused: 0,
    });
    expect(await deps.ingest.store.loadCase('C-5012')).toBeDefined();
  });
  it('resumes after a crash mid-file with cases side by side: no event lost, none applied twice', async () => {
    // Prepare: three cases' four events each, interleaved; 4 cases at once, a checkpoint
    // every 2 rows; the 4th transaction of the first delivery fails as a crash would
    const ids = (c: number) => [1, 2, 3, 4].map((i) => `crash-${c}-${i}`);
    const event = (c: number, i: number) => {
      const caseId = `C-600${c}`;
      const occurredAt = `2030-02-0${i}T10:00:00Z`;
      const [type, data] = [
        ['case.opened', { team: 'north' }],
        ['lado.concern-raised', { allegationId: 'A-1' }],
        ['supervision.held', { kind: 'joint' }],
        ['disagreement.raised', { disagreementId: 'D-1' }],
      ][i - 1] as [string, unknown];
      return JSON.stringify({ id: `crash-${c}-${i}`, type, caseId, occurredAt, data });
    };
    const lines = [1, 2, 3, 4].flatMap((i) => [1, 2, 3].map((c) => event(c, i)));
    const { ETag } = await s3.send(
      new PutObjectCommand({ Bucket: BUCKET, Key: 'crash.ndjson', Body: `${lines.join('\n')}\n` }),
    );
    const notification = s3Event('crash.ndjson', (ETag ?? '').replace(/"/g, ''));
    const real = deps.ingest.importStore as ImportStore;
    let commits = 0;
    const crashing: ImportStore = {
      readCase: (caseId, eventIds) => real.readCase(caseId, eventIds),
      settle: (caseId, audit, version) => real.settle(caseId, audit, version),
      commitCases: async (list) => {
        if (++commits === 4) throw new Error('the process died');
        return real.commitCases(list);
      },
    };

    // Act: the crash, then the notification delivered again
    const crashed = await makeHandler({
      ...deps,
      concurrency: 4,
      ingest: { ...deps.ingest, importStore: crashing },
    })(notification, plenty).catch((error: Error) => error.message);
    const resumed = await makeHandler({ ...deps, concurrency: 4 })(notification, plenty);

    // Assess: the crash surfaced; the redelivery finished the file from its checkpoint; every
    // row counted once; each case holds its four events, each recorded and applied once, in
    // file order
    expect(crashed).toBe('the process died');
    expect(resumed).toEqual({ 'crash.ndjson': 'done' });
    const tally = (await report('crash.ndjson')).tally;
    expect(tally.rows).toBe(12);
    expect(tally.refused).toBe(0);
    expect(tally.imported + tally.unchanged).toBe(12);
    for (const c of [1, 2, 3]) {
      const audit = await deps.ingest.store.listAudit(`C-600${c}`);
      const applied = [
        ...new Set(audit.flatMap((a) => (a.eventId === undefined ? [] : [a.eventId]))),
      ];
      expect(applied).toEqual(ids(c));
      // An event applied twice would leave its audit lines twice
      expect(new Set(audit.map((a) => JSON.stringify(a))).size).toBe(audit.length);
      for (const id of ids(c)) expect(await deps.ingest.store.getEventRecord(id)).toBeDefined();
    }
  });
});
