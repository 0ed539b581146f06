/**
 * The import use case on the in-memory stores: CSV and NDJSON rows through the ingest use
 * case — imported, then unchanged on a second run; bad rows refused with their line and
 * column while the good ones land; snapshot reconciliation; and the dry run's overlay, which
 * writes nothing and says what would change.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { type ImportDeps, importRows, type RowOutcome } from '#functions/import/import-file.js';
import { openRows } from '#functions/import/records.js';
import { ImportReport, warningLine } from '#functions/import/report.js';
import { availableShapes } from '#functions/import/shapes.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { dryRunStores } from '#platform/memory/overlay.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { AUTHORITY } from '#test/api/support.js';
import { memoryStores } from '#test/support/memory-store.js';
import { noScheduler } from '#test/support/scheduler.js';

const engine = makeCaseEngine(AUTHORITY);
const NOW = new Date('2026-03-02T09:00:00Z');

function deps(stores = memoryStores()): ImportDeps & ReturnType<typeof memoryStores> {
  return { ...stores, engine, scheduler: noScheduler, clock: { now: () => NOW } };
}

async function run(text: string, d: ImportDeps, options: Parameters<typeof importRows>[2] = {}) {
  const file = await openRows(Readable.from([text]), { shapes: availableShapes(EVENT_TYPES) });
  const outcomes: RowOutcome[] = [];
  const report = new ImportReport('file');
  const result = await importRows(file.rows, d, {
    shape: file.shape,
    ...options,
    onRow: (o) => {
      outcomes.push(o);
      report.add(o);
    },
  });
  return { result, outcomes, report, file };
}

const CASES = [
  'case_id,opened_at,team,risk_level,workers',
  'C-1001,2026-01-05,north,standard,P-0001 allocated-worker; P-0002 team-manager',
  'C-1002,2026-02-10 09:30,north,high,P-0001 allocated-worker',
].join('\n');

describe('importing a CSV of cases', () => {
  it('opens each case, then a second import of the same file changes nothing', async () => {
    // Prepare
    const d = deps();

    // Act
    const first = await run(CASES, d);
    const before = await d.store.loadCase('C-1002');
    const second = await run(CASES, d);

    // Assess: two rows imported, then the same two rows unchanged, the cases as they were
    expect(first.file.shape?.name).toBe('cases');
    expect(first.result.tally).toEqual({ rows: 2, imported: 2, unchanged: 0, refused: 0 });
    expect(second.result.tally).toEqual({ rows: 2, imported: 0, unchanged: 2, refused: 0 });
    const after = await d.store.loadCase('C-1002');
    expect(after?.version).toBe(before?.version);
    expect(after?.aggregate.riskLevel).toBe('high');
    // 09:30 on 10 February is GMT: the same instant in UTC.
    expect(after?.aggregate.openedAt.toISOString()).toBe('2026-02-10T09:30:00.000Z');
    expect(after?.aggregate.workers).toEqual([{ personId: 'P-0001', role: 'allocated-worker' }]);
  });

  it('marks a re-imported row’s warnings as those of its first import', async () => {
    // Prepare: P-0001 and P-0002 are in no directory, so each row warns of unknown people
    const stores = memoryStores();
    const d = { ...deps(stores), people: stores.directory };

    // Act
    const first = await run(CASES, d);
    const second = await run(CASES, d);

    // Assess: the same three warnings (two people on row 2, one on row 3), the replay's marked
    const lines = (r: ImportReport) => r.warnings.map(warningLine);
    expect(lines(first.report)).toEqual([
      expect.stringMatching(
        /^file:2 C-1001 unknown-person \(data\.workers\.0\.personId\): .*P-0001[^)]*$/,
      ),
      expect.stringMatching(
        /^file:2 C-1001 unknown-person \(data\.workers\.1\.personId\): .*P-0002[^)]*$/,
      ),
      expect.stringMatching(
        /^file:3 C-1002 unknown-person \(data\.workers\.0\.personId\): .*P-0001[^)]*$/,
      ),
    ]);
    expect(lines(second.report)).toEqual(
      lines(first.report).map((l) => `${l} (as first imported)`),
    );
    expect(second.report.warnings.every((w) => w.asFirstAnswered === true)).toBe(true);
  });

  it('applies a changed row as a new event: the case is updated', async () => {
    const d = deps();
    await run(CASES, d);

    const changed = await run(
      CASES.replace('C-1002,2026-02-10 09:30,north,high', 'C-1002,2026-02-10 09:30,south,high'),
      d,
    );

    expect(changed.result.tally).toEqual({ rows: 2, imported: 1, unchanged: 1, refused: 0 });
    expect((await d.store.loadCase('C-1002'))?.aggregate.team).toBe('south');
  });

  it('refuses a bad row with its line, column and the API’s wording, and imports the rest', async () => {
    // Prepare: line 3 has a risk level the schema does not know, line 4 too few fields
    const text = [
      'case_id,opened_at,team,risk_level',
      'C-1001,2026-01-05,north,standard',
      'C-1002,2026-01-05,north,extreme',
      'C-1003,2026-01-05',
      'C-1004,2026-01-05,north,',
    ].join('\n');
    const d = deps();

    // Act
    const { result, report } = await run(text, d);

    // Assess
    expect(result.tally).toEqual({ rows: 4, imported: 2, unchanged: 0, refused: 2 });
    expect(report.refused.map((r) => [r.line, r.column, r.problem.status])).toEqual([
      [3, 'risk_level', 400],
      [4, undefined, 400],
    ]);
    expect(report.refused[0]?.problem.title).toBe('The request is not valid');
    expect(report.refused[0]?.problem.errors?.[0]?.field).toBe('data.riskLevel');
    expect(await d.store.loadCase('C-1004')).toBeDefined();
    expect(await d.store.loadCase('C-1002')).toBeUndefined();
  });
});

describe('importing NDJSON events', () => {
  const good = (id: string, caseId: string) =>
    JSON.stringify({
      id,
      type: 'case.opened',
      caseId,
      occurredAt: '2026-03-02T08:00:00Z',
      data: { team: 'north' },
    });

  it('lands the good lines and reports each bad one with its line and field', async () => {
    // Prepare: line 2 is not JSON, line 4 misses its allegation id, line 5 is blank
    const text = [
      good('e-1', 'C-2001'),
      '{"id": "e-2",',
      good('e-3', 'C-2002'),
      '{"id":"e-4","type":"lado.concern-raised","caseId":"C-2001","occurredAt":"2026-03-02T08:00:00Z","data":{}}',
      '',
      good('e-5', 'C-2003'),
    ].join('\n');
    const d = deps();

    // Act
    const { result, report } = await run(text, d);

    // Assess
    expect(result.tally).toEqual({ rows: 5, imported: 3, unchanged: 0, refused: 2 });
    expect(report.refused.map((r) => [r.line, r.column, r.problem.type])).toEqual([
      [2, undefined, 'https://timescales.dev/problems/malformed-json'],
      [4, 'data.allegationId', 'https://timescales.dev/problems/validation'],
    ]);
    expect(report.refused[1]?.eventId).toBe('e-4');
    expect(d.store.caseCount).toBe(3);
  });

  it('refuses an event id reused with another body (409), as the API does', async () => {
    const d = deps();
    await run(good('e-1', 'C-2001'), d);

    const { report } = await run(good('e-1', 'C-2009'), d);

    expect(report.refused[0]?.problem.status).toBe(409);
  });
});

describe('a failure that is not the row’s', () => {
  it('stops the import instead of refusing every row (the store unreachable)', async () => {
    // Prepare: a store whose reads fail as a network would
    const d = deps();
    const unreachable = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:8000');
    };
    d.store.loadEventAndCase = unreachable;
    d.store.getEventRecord = unreachable;
    d.store.loadCase = unreachable;

    // Act / Assess
    await expect(run(CASES, d)).rejects.toThrow(/ECONNREFUSED/);
  });
});

describe('a snapshot', () => {
  it('lists the open cases the file lacks, and closes them only when asked', async () => {
    // Prepare: C-1001, C-1002 and C-1003 open; the snapshot names C-1001 and (in a refused row) C-1002
    const d = deps();
    await run(`${CASES}\nC-1003,2026-01-05,north,standard,`, d);
    const snapshot = [
      'case_id,opened_at,team,risk_level,workers',
      'C-1001,2026-01-05,north,standard,P-0001 allocated-worker; P-0002 team-manager',
      'C-1002,2026-02-10 09:30,north,extreme,P-0001 allocated-worker',
    ].join('\n');

    // Act
    const listed = await run(snapshot, d, { snapshot: true });
    const closed = await run(snapshot, d, { snapshot: true, closeMissing: true });
    const again = await run(snapshot, d, { snapshot: true, closeMissing: true });

    // Assess: only C-1003 is missing (a refused row still names its case); closing it once
    expect(listed.result.snapshot).toEqual({ missing: ['C-1003'], closed: [], notClosed: [] });
    expect((await d.store.loadCase('C-1003'))?.aggregate.status).toBe('closed');
    expect(closed.result.snapshot?.closed).toEqual(['C-1003']);
    expect(again.result.snapshot?.missing).toEqual([]);
  });
});

describe('a dry run', () => {
  it('writes nothing and says which cases, clocks and reminders the import would create', async () => {
    // Prepare: the real store already holds C-1001; the file updates it and raises a concern on C-3001
    const base = deps();
    await run(CASES, base);
    const versionBefore = (await base.store.loadCase('C-1001'))?.version;
    const dry = dryRunStores({ store: base.store, people: base.directory });
    const d: ImportDeps = {
      engine,
      clock: { now: () => NOW },
      store: dry.store,
      directory: dry.directory,
      scheduler: dry.scheduler,
    };
    const text = [
      JSON.stringify({
        id: 'd-1',
        type: 'case.updated',
        caseId: 'C-1001',
        occurredAt: '2026-03-02T08:00:00Z',
        data: { team: 'south' },
      }),
      JSON.stringify({
        id: 'd-2',
        type: 'lado.concern-raised',
        caseId: 'C-3001',
        occurredAt: '2026-03-02T08:00:00Z',
        data: { allegationId: 'A-1' },
      }),
    ].join('\n');

    // Act
    const { result } = await run(text, d);
    const preview = await dry.preview(NOW);

    // Assess: nothing written to the real store
    expect(result.tally.imported).toBe(2);
    expect((await base.store.loadCase('C-1001'))?.version).toBe(versionBefore);
    expect((await base.store.loadCase('C-1001'))?.aggregate.team).toBe('north');
    expect(await base.store.loadCase('C-3001')).toBeUndefined();
    expect(await base.store.getEventRecord('d-2')).toBeUndefined();
    // C-3001 would be created with its LADO notification due 24 hours after 08:00
    expect(preview.cases.map((c) => [c.caseId, c.change])).toEqual([
      ['C-1001', 'updated'],
      ['C-3001', 'created'],
    ]);
    expect(preview.cases[1]?.clocks).toEqual([
      {
        deadlineId: 'lado-notification.A-1',
        rule: 'lado-notification',
        status: 'open',
        dueAt: '2026-03-03T08:00:00.000Z',
        // How it was worked out, in the engine's own words (shown as they are)
        explain: expect.arrayContaining([expect.any(String)]),
      },
    ]);
    // Its reminders at 50 % (20:00) and 75 % (02:00) of the 24 hours, and at the due time
    expect(preview.reminders.map((r) => [r.caseId, r.step, r.fireAt])).toEqual(
      expect.arrayContaining([
        ['C-3001', 'p50', '2026-03-02T20:00:00.000Z'],
        ['C-3001', 'p75', '2026-03-03T02:00:00.000Z'],
        ['C-3001', 'due', '2026-03-03T08:00:00.000Z'],
      ]),
    );
  });
});
