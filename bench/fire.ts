/**
 * `npm run bench:fire`: 10,000 reminders due at the same instant, fired in local mode.
 *
 * Set-up (per run, a fresh table in one in-memory DynamoDB Local): the directory (ten LADOs,
 * a team manager, the EDT manager on the rota overnight) and N cases, each opened with a
 * LADO and a LADO concern raised at the same minute (Monday 1 June 2026, 16:00 BST), all
 * through the real ingest use case — so each case holds a 24-hour LADO notification clock
 * whose 50% reminder falls due at one instant, Tuesday 04:00 BST, out of hours.
 *
 * Act: the simulated clock moves one minute past that instant (`driver.advanceTo`, what
 * `POST /local/clock` runs). Every reminder goes through the real fire path: the timer
 * handler, routing (out of hours: the EDT manager on the rota, SMS and email), send claims,
 * SES against aws-ses-v2-local, SMS into the outbox, the digest entry and timer, the audit.
 *
 * Measured: time until all are delivered, reminders fired, messages delivered (outbox, and
 * emails received by the SES stand-in), duplicates (the same reminder + recipient + channel
 * sent twice), losses (a planned delivery never sent), timers left dead, and the DynamoDB
 * calls per reminder — every call made while firing, the local driver's timer reads, puts and
 * deletes included — in all and by command. Medians over the
 * runs; baselines from the same run: raw DynamoDB Local PutItem rate, and a 1,000-reminder
 * burst fired by the driver one timer at a time (the old serial driver).
 *
 * Target: all 10,000 within 60 s (FIRE_MESSAGING=notify, through Notify's stand-in: within its
 * rate limit), zero duplicates, zero losses, at most 4 DynamoDB calls per reminder.
 * Options (environment): FIRE_REMINDERS (10000), FIRE_RUNS (at most 3: a run after the first
 * starts only while the bench should still end within FIRE_BUDGET_SECONDS, 300), FIRE_WARMUP
 * (100, seeded through ingest; also the size of the serial baseline), FIRE_WARMUP_BURST (8000,
 * unmeasured: DynamoDB Local's JVM compiling its hot paths), FIRE_CONCURRENCY (the
 * driver's default), SKIP_SERIAL=1, FIRE_PROFILE=1 (DynamoDB calls by command while firing),
 * FIRE_RECEIPTS=1 (the SES and SMS stand-ins' delivery receipts recorded while firing, as
 * `npm start` does: two more reads and two more writes per reminder, the delivery function's).
 * Exits 1 on a duplicate, a loss or an error; a missed time target is reported (it depends on
 * the machine's load, printed with the figures).
 */
import { performance } from 'node:perf_hooks';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { startDynamoDbLocal, startSesLocal } from '#functions/local/standins.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import * as keys from '#platform/dynamodb/keys.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { DynamoTimerStore } from '#platform/dynamodb/timer-store.js';
import { peakIn } from './support/fire-notify.js';
import {
  AFTER,
  AUTHORITY,
  caseOpened,
  EDT,
  INSTANT,
  instrument,
  LADOS,
  MANAGER,
  pool,
  profile,
  profileCalls,
  putItemRate,
  RAISED,
  type Seed,
  seedDirect,
  sesCount,
} from './support/fire-setup.js';
import { printReport, type RunResult } from './support/fire-summary.js';
import { fmt } from './support/stats.js';

// Read when the SDK clients are made (in main), not at import.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'eu-west-2';

const REMINDERS = Number(process.env.FIRE_REMINDERS ?? 10_000);
const RUNS = Number(process.env.FIRE_RUNS ?? 3);
const WARMUP = Number(process.env.FIRE_WARMUP ?? 100);
const WARMUP_BURST = Number(process.env.FIRE_WARMUP_BURST ?? 8_000);
/** Another full run starts only if it should end within this many seconds of the start. */
const BUDGET_SECONDS = Number(process.env.FIRE_BUDGET_SECONDS ?? 300);
const CONCURRENCY =
  process.env.FIRE_CONCURRENCY === undefined ? undefined : Number(process.env.FIRE_CONCURRENCY);
const SKIP_SERIAL = process.env.SKIP_SERIAL === '1';
const MESSAGING = process.env.FIRE_MESSAGING === 'notify' ? 'notify' : 'aws';
const RECEIPTS = process.env.FIRE_RECEIPTS === '1';
const TARGET_SECONDS = 60;
const TARGET_CALLS = 4;
/** Events in flight while seeding (the ingest path, not what is measured). */
const SEED_CONCURRENCY = 32;

let tables = 0;

async function run(
  endpoints: { dynamo: string; ses: string },
  reminders: number,
  concurrency: number | undefined,
  seed: Seed,
): Promise<RunResult> {
  const tableName = `bench-fire-${process.pid}-${tables++}`;
  await createTable(new DynamoDBClient({ endpoint: endpoints.dynamo }), tableName);
  const client = makeDocumentClient({ endpoint: endpoints.dynamo });
  instrument(client);
  await fetch(`${endpoints.ses}/clear-store`, { method: 'POST' });
  const local = makeLocalReminders({
    client,
    tableName,
    authority: AUTHORITY,
    sesEndpoint: endpoints.ses,
    messaging: MESSAGING,
    // The fire path alone is what the targets judge; its receipts are the delivery function's
    // work (in AWS another Lambda, later), counted only with FIRE_RECEIPTS=1. Notify's
    // receipts are how its stand-in works, so they stay on.
    receipts: MESSAGING === 'notify' || RECEIPTS,
    start: new Date('2026-06-01T14:00:00Z'),
    ...(concurrency === undefined ? {} : { concurrency }),
    log: { info: () => {}, warn: () => {}, error: (m, f) => console.error(m, f) },
  });

  // Prepare: the directory, then the cases, through the ingest use case.
  const seedStart = performance.now();
  const deps = {
    store: new DynamoCaseStore(client, tableName),
    directory: new DynamoDirectory(client, tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler: local.driver,
    reminderAudit: new DynamoReminderAudit(client, tableName),
    clock: local.clock,
  };
  let eventNo = 0;
  const send = async (type: string, occurredAt: string, caseId: string | null, data: object) => {
    const id = `BENCH-${tableName}-${++eventNo}`;
    const answer = await ingestEvent(
      { id, type, occurredAt, ...(caseId === null ? {} : { caseId }), data },
      deps,
    );
    if (answer.statusCode !== 202) throw new Error(`${type}: ${answer.statusCode}`);
  };
  const person = (personId: string, email: string, phone?: string) =>
    send('person.upserted', '2026-06-01T13:00:00Z', null, {
      personId,
      name: `Professional ${personId}`,
      email,
      team: 'north',
      ...(phone === undefined ? {} : { phone }),
    });
  await person(MANAGER, 'manager.bench@example.gov.uk');
  for (const id of LADOS) await person(id, `lado.${id.toLowerCase()}@example.gov.uk`);
  await person(EDT.personId, EDT.email, EDT.phone);
  // EDT on call Monday 17:00 BST to Tuesday 09:00 BST.
  await send('rota.shift', '2026-06-01T13:00:00Z', null, {
    personId: EDT.personId,
    from: '2026-06-01T16:00:00Z',
    to: '2026-06-02T08:00:00Z',
  });
  const caseIds = Array.from(
    { length: reminders },
    (_, i) => `B-${String(i + 1).padStart(6, '0')}`,
  );
  local.clock.set(new Date(RAISED));
  if (seed === 'direct') await seedDirect(client, tableName, caseIds, local.driver);
  else
    await pool(caseIds, SEED_CONCURRENCY, async (caseId) => {
      await send('case.opened', '2026-06-01T14:30:00Z', caseId, caseOpened(caseId));
      await send('lado.concern-raised', RAISED, caseId, { allegationId: 'A-1' });
    });
  const seedSeconds = (performance.now() - seedStart) / 1000;
  const store = new DynamoTimerStore(client, tableName);
  const planned = (await store.due(INSTANT, reminders * 10)).filter(
    (t) => t.fireAt.getTime() === INSTANT.getTime(),
  ).length;
  if (planned !== reminders) throw new Error(`expected ${reminders} timers due, found ${planned}`);

  // Act: move the clock one minute past the instant.
  const sesBefore = await sesCount(endpoints.ses);
  const cpu = process.cpuUsage();
  const start = performance.now();
  profile.clear();
  profileCalls(true);
  const { fired } = await local.driver.advanceTo(AFTER);
  profileCalls(false);
  if (process.env.FIRE_PROFILE === '1')
    console.error(
      [...profile].map(([k, v]) => `${k}: ${v.calls} calls, ${fmt(v.ms / v.calls, 1)} ms mean`),
    );
  const fireSeconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const dynamoCalls = [...profile.values()].reduce((sum, e) => sum + e.calls, 0);
  const byCommand = new Map(
    [...profile].map(([name, e]) => [name.replace(/Command$/, ''), e.calls]),
  );

  // Assess: every planned delivery (the 50% reminder, SMS and email to the EDT manager)
  // exactly once.
  const seen = new Map<string, number>();
  let unexpected = 0;
  for (const m of local.outbox.list()) {
    const planned50 = m.reminderId.includes('.p50.');
    const to = m.channel === 'sms' ? EDT.phone : EDT.email;
    if (!planned50 || m.to !== to) {
      unexpected++;
      continue;
    }
    const key = `${m.caseId}|${m.reminderId}|${m.to}|${m.channel}`;
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const duplicates = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  let losses = 0;
  const byCaseChannel = new Set(
    [...seen.keys()].map((k) => `${k.split('|')[0]}|${k.split('|')[3]}`),
  );
  for (const caseId of caseIds)
    for (const channel of ['sms', 'email'])
      if (!byCaseChannel.has(`${caseId}|${channel}`)) losses++;
  const result: RunResult = {
    seed,
    reminders,
    cpuSeconds,
    dynamoCalls,
    byCommand,
    concurrency: concurrency === undefined ? 'default' : String(concurrency),
    seedSeconds,
    fireSeconds,
    fired,
    delivered: local.outbox.list().length,
    sesEmails: (await sesCount(endpoints.ses)) - sesBefore,
    duplicates,
    losses,
    unexpected,
    notifyPeak: peakIn((await local.notifyTraffic())?.taken ?? [], 60_000),
    notify429s: (await local.notifyTraffic())?.refused ?? 0,
    dead: (await store.all(keys.deadTimerPartition)).length,
    timersLeft: (await store.all()).length,
  };
  await local.stop();
  return result;
}

async function main(): Promise<void> {
  const began = performance.now();
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal(), startSesLocal()]);
  const endpoints = { dynamo: dynamo.endpoint, ses: ses.endpoint };
  let ok = true;
  try {
    const warm = [await run(endpoints, WARMUP, CONCURRENCY, 'ingest')];
    // DynamoDB Local's JVM compiles its hot paths for its first ~90 s of load (its C2 thread
    // takes ~20 s of CPU, a third of the store's, from the runs measured). A burst first, so the
    // runs and the baseline measure the fire path on a warm store, as `npm start` runs it.
    if (WARMUP_BURST > 0) warm.push(await run(endpoints, WARMUP_BURST, CONCURRENCY, 'direct'));
    const baseTable = `bench-fire-put-${process.pid}`;
    await createTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), baseTable);
    const putRate = await putItemRate(makeDocumentClient({ endpoint: dynamo.endpoint }), baseTable);
    const serial = SKIP_SERIAL ? undefined : await run(endpoints, WARMUP, 1, 'direct');
    const runs: RunResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      const last = runs.at(-1);
      const elapsed = (performance.now() - began) / 1000;
      if (last !== undefined && elapsed + last.seedSeconds + last.fireSeconds + 5 > BUDGET_SECONDS)
        break;
      const r = await run(endpoints, REMINDERS, CONCURRENCY, 'direct');
      runs.push(r);
      console.error(`run ${i + 1}: ${fmt(r.fireSeconds, 2)} s`);
    }
    ok = printReport({
      reminders: REMINDERS,
      messaging: MESSAGING,
      warm,
      serial,
      runs,
      putRate,
      began,
      targetSeconds: TARGET_SECONDS,
      targetCalls: TARGET_CALLS,
    });
  } finally {
    await ses.stop();
    await dynamo.stop();
  }
  process.exit(ok ? 0 : 1);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
