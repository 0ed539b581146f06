/**
 * The operator's bank-holiday feed in the table, and recomputing open deadlines when the
 * calendar or a rule changes: on the next touch of a case, and in bulk (`recompute`).
 *
 * Hand-checked dates (england-and-wales, office hours 09:00–17:00, BST in June):
 * - raised Thursday 2027-06-03 10:00 BST, 2 working days → Friday 4, Monday 7 → due Monday
 *   7 June 17:00 BST (16:00Z). With an invented one-off bank holiday on Friday 4 June →
 *   Monday 7, Tuesday 8 → due Tuesday 8 June 17:00 BST (16:00Z): one working day later.
 * - raised Tuesday 2027-06-01 10:30 BST → Wednesday 2, Thursday 3 → due Thursday 3 June
 *   17:00 BST, with or without the invented day: unaffected.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { loadFeed, recomputeAll } from '#bin/operations.js';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { RecordingScheduler } from '#functions/local/server.js';
import type { GovUkFeed } from '#kernel/calendar/index.js';
import { type BoundEngine, makeCaseEngine } from '#kernel/engine/bound.js';
import {
  CachedCalendarFeed,
  getCalendarFeed,
  InvalidFeedError,
  putCalendarFeed,
} from '#platform/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { govUkFixture } from '#test/calendar/helpers.js';

const NOW = new Date('2027-06-03T10:00:00Z');
const INVENTED = {
  title: 'Invented one-off day (test)',
  date: '2027-06-04',
  notes: '',
  bunting: true,
};
const AFFECTED = 'C-FEED-A';
const UNAFFECTED = 'C-FEED-U';
const DUE_BEFORE = '2027-06-07T16:00:00.000Z';
const DUE_AFTER = '2027-06-08T16:00:00.000Z';
const DUE_UNAFFECTED = '2027-06-03T16:00:00.000Z';

function newerFeed(): GovUkFeed {
  const feed = govUkFixture();
  feed['england-and-wales']?.events.push(INVENTED);
  return feed;
}

let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoCaseStore;
let counter = 0;

beforeEach(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'feed');
  store = new DynamoCaseStore(table.client, table.tableName);
});

function ingest(engine: BoundEngine, scheduler: RecordingScheduler, body: object, now = NOW) {
  return ingestEvent(body, {
    store,
    directory: new DynamoDirectory(table.client, table.tableName),
    engine,
    scheduler,
    clock: { now: () => now },
  });
}

const opened = (caseId: string, occurredAt: string) => ({
  id: `evt-feed-${counter++}`,
  type: 'case.opened',
  occurredAt,
  caseId,
  data: { team: 'north-assessment' },
});
const raised = (caseId: string, occurredAt: string) => ({
  id: `evt-feed-${counter++}`,
  type: 'disagreement.raised',
  occurredAt,
  caseId,
  data: { disagreementId: 'D-1' },
});
const touched = (caseId: string) => ({
  id: `evt-feed-${counter++}`,
  type: 'case.updated',
  occurredAt: '2027-06-03T09:50:00Z',
  caseId,
  data: { riskLevel: 'high' },
});

/** Two cases computed with the built-in tables: one spans Friday 4 June, one does not. */
async function twoCases(engine: BoundEngine, scheduler: RecordingScheduler) {
  await ingest(engine, scheduler, opened(AFFECTED, '2027-06-03T08:00:00Z'));
  await ingest(engine, scheduler, raised(AFFECTED, '2027-06-03T09:00:00Z'));
  await ingest(engine, scheduler, opened(UNAFFECTED, '2027-06-01T08:00:00Z'));
  await ingest(engine, scheduler, raised(UNAFFECTED, '2027-06-01T09:30:00Z'));
}

async function disagreement(caseId: string) {
  const stored = await store.loadCase(caseId);
  const d = stored?.aggregate.deadlines.find((x) => x.rule === 'disagreement');
  if (stored === undefined || d === undefined) throw new Error(`no disagreement on ${caseId}`);
  return { version: stored.version, deadline: d };
}

async function recomputedLines(caseId: string) {
  return (await store.listAudit(caseId)).filter((e) => e.kind === 'recomputed');
}

describe('the stored GOV.UK feed', () => {
  it('is stored with its sha256 and read back; a malformed feed is refused with a clear message', async () => {
    // Act
    const stored = await putCalendarFeed(table.client, table.tableName, newerFeed(), NOW);
    const bad = putCalendarFeed(
      table.client,
      table.tableName,
      {
        'england-and-wales': {
          division: 'england-and-wales',
          events: [{ title: 'Nonsense', date: '2027-13-01', notes: '', bunting: true }],
        },
      },
      NOW,
    );

    // Assess
    expect(stored.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expect(bad).rejects.toThrow(InvalidFeedError);
    await expect(bad).rejects.toThrow(
      /england-and-wales\.events\[0\]\.date: must be a YYYY-MM-DD date/,
    );
    await expect(
      putCalendarFeed(table.client, table.tableName, { holidays: [] }, NOW),
    ).rejects.toThrow(/not a GOV.UK bank-holidays feed.*\n.*lists none of the divisions/);
    const read = await getCalendarFeed(table.client, table.tableName);
    expect(read?.sha256).toBe(stored.sha256);
    expect(read?.loadedAt).toBe(NOW.toISOString());
    expect(read?.feed['england-and-wales']?.events).toContainEqual(INVENTED);
  });
});

describe('recompute on the next touch', () => {
  it('moves a deadline spanning a newly proclaimed day when the case is next touched, and replaces its timers', async () => {
    // Prepare: a warm engine reading the table's feed (none yet), re-checked after 5 minutes
    let ms = NOW.getTime();
    const source = await new CachedCalendarFeed(table.client, table.tableName, {
      now: () => ms,
    }).ready();
    const engine = makeCaseEngine(AUTHORITY, undefined, { feed: source });
    const scheduler = new RecordingScheduler();
    await twoCases(engine, scheduler);
    const before = await disagreement(AFFECTED);
    expect(before.deadline.dueAt.toISOString()).toBe(DUE_BEFORE);
    const oldVersion = engine.calendar.version;
    const oldTimers = engine.planTimers((await store.loadCase(AFFECTED))?.aggregate as never, NOW);

    // Act: the operator loads the newer feed; 5 minutes on, the Lambda re-checks; an event
    await putCalendarFeed(table.client, table.tableName, newerFeed(), NOW);
    ms += 5 * 60_000 + 1;
    await source.ready();
    scheduler.calls.length = 0;
    await ingest(engine, scheduler, touched(AFFECTED));

    // Assess
    expect(engine.calendar.version).not.toBe(oldVersion);
    const after = await disagreement(AFFECTED);
    expect(after.deadline.dueAt.toISOString()).toBe(DUE_AFTER);
    expect(after.deadline.calendarVersion).toBe(engine.calendar.version);
    expect(after.deadline.version).toBe(before.deadline.version + 1);
    expect(after.deadline.explain.join(' ')).toContain('Invented one-off day (test)');
    expect(await recomputedLines(AFFECTED)).toEqual([
      expect.objectContaining({
        deadlineId: after.deadline.id,
        detail: expect.objectContaining({ oldDueAt: DUE_BEFORE, newDueAt: DUE_AFTER }),
      }),
    ]);
    const cancelled = scheduler.calls.filter((c) => c.op === 'cancel').flatMap((c) => c.names);
    const scheduled = scheduler.calls.filter((c) => c.op === 'schedule').flatMap((c) => c.names);
    const oldDue = oldTimers.find((t) => t.payload.kind === 'due');
    expect(cancelled).toContain(oldDue?.name);
    const newDue = [...scheduler.timers.values()].find(
      (t) => t.payload.caseId === AFFECTED && t.payload.kind === 'due',
    );
    expect(scheduled).toContain(newDue?.name);
    expect(newDue?.fireAt.toISOString()).toBe(DUE_AFTER);
    expect(newDue?.payload.version).toBe(after.deadline.version);
  });

  it('recomputes open deadlines after a rule edit (a new rule version) on the next touch', async () => {
    // Prepare: raised Monday 1 March 2027 09:30 GMT: 2 working days → Wednesday 3 March 17:00
    const engine = makeCaseEngine(AUTHORITY);
    const scheduler = new RecordingScheduler();
    const caseId = 'C-FEED-RULE';
    const march = new Date('2027-03-01T10:00:00Z');
    await ingest(engine, scheduler, opened(caseId, '2027-03-01T09:00:00Z'), march);
    await ingest(engine, scheduler, raised(caseId, '2027-03-01T09:30:00Z'), march);
    const before = await disagreement(caseId);
    expect(before.deadline.dueAt.toISOString()).toBe('2027-03-03T17:00:00.000Z');
    const edited: AuthorityConfig = {
      ...AUTHORITY,
      rules: { rules: { disagreement: { version: 2, clock: { amount: 3 } } } },
    };
    const editedEngine = makeCaseEngine(edited);
    expect(editedEngine.rules.ruleVersion('disagreement')).not.toBe(before.deadline.ruleVersion);

    // Act: 3 working days a stage → Thursday 4 March 17:00
    await ingest(
      editedEngine,
      scheduler,
      { ...touched(caseId), occurredAt: '2027-03-01T09:50:00Z' },
      march,
    );

    // Assess
    const after = await disagreement(caseId);
    expect(after.deadline.dueAt.toISOString()).toBe('2027-03-04T17:00:00.000Z');
    expect(after.deadline.ruleVersion).toBe(editedEngine.rules.ruleVersion('disagreement'));
    expect(after.deadline.ruleVersion).toMatch(/^2\./);
    expect(await recomputedLines(caseId)).toEqual([
      expect.objectContaining({
        detail: expect.objectContaining({
          oldDueAt: '2027-03-03T17:00:00.000Z',
          newDueAt: '2027-03-04T17:00:00.000Z',
        }),
      }),
    ]);
  });
});

describe('recompute in bulk (`npx timescales recompute`)', () => {
  const options = () => ({
    table: table.tableName,
    endpoint: inject('dynamoEndpoint'),
    env: { AUTHORITY_CONFIG: JSON.stringify(AUTHORITY) },
  });

  it('moves cases nobody touches, re-syncs their timers and leaves unaffected cases alone', async () => {
    // Prepare
    const engine = makeCaseEngine(AUTHORITY);
    await twoCases(engine, new RecordingScheduler());
    const affected = await disagreement(AFFECTED);
    const unaffected = await disagreement(UNAFFECTED);
    const dir = mkdtempSync(join(tmpdir(), 'feed-'));
    writeFileSync(join(dir, 'bank-holidays.json'), JSON.stringify(newerFeed()));
    const scheduler = new RecordingScheduler();

    // Act
    const loaded = await loadFeed(join(dir, 'bank-holidays.json'), { ...options(), now: NOW });
    const summary = await recomputeAll({ ...options(), scheduler, now: () => NOW });
    const again = await recomputeAll({
      ...options(),
      scheduler: new RecordingScheduler(),
      now: () => NOW,
    });

    // Assess
    expect(loaded).toEqual({
      years: [2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025, 2026, 2027],
      divisions: ['england-and-wales', 'scotland', 'northern-ireland'],
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      calendarVersionBefore: engine.calendar.version,
      calendarVersionAfter: expect.not.stringMatching(engine.calendar.version),
    });
    expect(summary).toEqual({ cases: 2, recomputed: 1, unchanged: 1, failed: 0 });
    expect(again).toEqual({ cases: 2, recomputed: 0, unchanged: 2, failed: 0 });
    const moved = await disagreement(AFFECTED);
    expect(moved.version).toBe(affected.version + 1);
    expect(moved.deadline.dueAt.toISOString()).toBe(DUE_AFTER);
    expect(moved.deadline.calendarVersion).toBe(loaded.calendarVersionAfter);
    expect(await recomputedLines(AFFECTED)).toHaveLength(1);
    const projection = (await store.listDeadlines(AFFECTED)).find((d) => d.rule === 'disagreement');
    expect(projection?.dueAt).toBe(DUE_AFTER);
    const left = await disagreement(UNAFFECTED);
    expect(left.version).toBe(unaffected.version);
    expect(left.deadline.dueAt.toISOString()).toBe(DUE_UNAFFECTED);
    expect(await recomputedLines(UNAFFECTED)).toEqual([]);
    const newDue = [...scheduler.timers.values()].find((t) => t.payload.kind === 'due');
    expect(newDue?.payload.caseId).toBe(AFFECTED);
    expect(newDue?.fireAt.toISOString()).toBe(DUE_AFTER);
    expect(scheduler.calls.find((c) => c.op === 'cancel')?.names.length).toBeGreaterThan(0);
    expect(scheduler.timers.size).toBeGreaterThan(0);
    expect([...scheduler.timers.values()].every((t) => t.payload.caseId === AFFECTED)).toBe(true);
  });
});

describe('the CLI', () => {
  const BIN = fileURLToPath(new URL('../../bin/timescales.js', import.meta.url));
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [BIN, ...args], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, AUTHORITY_CONFIG: JSON.stringify(AUTHORITY) },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  it('load-feed stores a feed and recompute moves the case; a malformed feed is refused', async () => {
    // Prepare
    await twoCases(makeCaseEngine(AUTHORITY), new RecordingScheduler());
    const dir = mkdtempSync(join(tmpdir(), 'feed-cli-'));
    const good = join(dir, 'bank-holidays.json');
    const bad = join(dir, 'broken.json');
    writeFileSync(good, JSON.stringify(newerFeed()));
    writeFileSync(bad, JSON.stringify({ 'england-and-wales': { events: 'soon' } }));
    const where = ['--table', table.tableName, '--endpoint', inject('dynamoEndpoint')];

    // Act
    const refused = run('load-feed', bad, ...where);
    const loaded = run('load-feed', good, ...where);
    const recomputed = run('recompute', ...where);

    // Assess
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('not a GOV.UK bank-holidays feed');
    expect(refused.stderr).toContain('england-and-wales.division');
    expect(loaded.code).toBe(0);
    const out = JSON.parse(loaded.stdout);
    expect(out.calendarVersionAfter).not.toBe(out.calendarVersionBefore);
    expect(recomputed.code).toBe(0);
    expect(JSON.parse(recomputed.stdout)).toEqual({
      cases: 2,
      recomputed: 1,
      unchanged: 1,
      failed: 0,
    });
    expect(recomputed.stderr).toContain('run recompute again after');
    expect((await disagreement(AFFECTED)).deadline.dueAt.toISOString()).toBe(DUE_AFTER);
  });
});
