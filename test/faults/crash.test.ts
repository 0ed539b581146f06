/**
 * A crash: a local-mode process (the `bin/local.ts` wiring, see crash/child.ts) is killed
 * with SIGKILL while it delivers a burst of reminders that fell due at the same instant,
 * then started again. Every reminder is delivered; a reminder delivered twice must be one
 * whose send was claimed but not confirmed at the kill (the only window left: SES takes no
 * idempotency key). DynamoDB Local and the SES stand-in belong to the test run and survive.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { LocalSchedulerDriver, SimulatedClock } from '#functions/local/scheduler-driver.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoTimerStore } from '#platform/dynamodb/timer-store.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';

const CASES = Array.from({ length: 30 }, (_, i) => `C-77${String(i).padStart(2, '0')}`);
const CHILD = fileURLToPath(new URL('./crash/child.ts', import.meta.url));
let table: Awaited<ReturnType<typeof freshTable>>;
const children: ChildProcess[] = [];

/** Starts the local process; resolves once it serves. */
function startChild(start: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      DYNAMO: inject('dynamoEndpoint'),
      SES: inject('sesEndpoint'),
      TABLE: table.tableName,
      START: start,
      POWERTOOLS_LOG_LEVEL: 'SILENT',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('"ready"')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code}): ${out}`)));
  });
}

/** Emails the SES stand-in accepted for this test's cases: `<case>|<to>` → count. */
async function delivered(): Promise<Map<string, number>> {
  const store = (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as {
    emails: { subject?: string; destination?: { to?: string[] } }[];
  };
  const counts = new Map<string, number>();
  for (const email of store.emails) {
    const caseId = /C-77\d\d/.exec(email.subject ?? '')?.[0];
    if (caseId === undefined) continue;
    // One reminder per case falls due in the burst (the LADO response's 50%).
    const key = `${caseId}|${(email.destination?.to ?? []).join(',')}`;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

async function claims(): Promise<Record<string, unknown>[]> {
  const page = await table.client.send(
    new ScanCommand({
      TableName: table.tableName,
      FilterExpression: 'entity = :e',
      ExpressionAttributeValues: { ':e': 'send-claim' },
      ConsistentRead: true,
    }),
  );
  return page.Items ?? [];
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

beforeAll(async () => {
  // Prepare: the LADO and 30 cases whose LADO response clocks (24 working hours from Monday
  // 2 March 09:00 GMT) reach 50% at the same instant, Tuesday 13:00: a burst of 30 emails.
  table = await freshTable(inject('dynamoEndpoint'), 'faults-crash');
  const clock = new SimulatedClock(new Date('2026-03-02T09:00:00Z'));
  const scheduler = new LocalSchedulerDriver({
    store: new DynamoTimerStore(table.client, table.tableName),
    clock,
  });
  const deps = {
    store: new DynamoCaseStore(table.client, table.tableName),
    directory: new DynamoDirectory(table.client, table.tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler, // persists timers in the table; the child process fires them
    clock,
  };
  await ingestEvent(
    {
      id: 'crash-lado',
      type: 'person.upserted',
      occurredAt: '2026-03-01T09:00:00Z',
      data: {
        personId: 'P-0004',
        name: 'Lado One',
        email: 'lado.one@example.gov.uk',
        team: 'lado',
      },
    },
    deps,
  );
  for (const caseId of CASES) {
    const workers = [{ personId: 'P-0004', role: 'lado' }];
    await ingestEvent(
      {
        id: `${caseId}-o`,
        type: 'case.opened',
        occurredAt: '2026-03-02T08:00:00Z',
        caseId,
        data: { team: 'north', workers },
      },
      deps,
    );
    await ingestEvent(
      {
        id: `${caseId}-c`,
        type: 'lado.concern-raised',
        occurredAt: '2026-03-02T08:30:00Z',
        caseId,
        data: { allegationId: 'A-1' },
      },
      deps,
    );
    await ingestEvent(
      {
        id: `${caseId}-n`,
        type: 'lado.notified',
        occurredAt: '2026-03-02T09:00:00Z',
        caseId,
        data: { allegationId: 'A-1' },
      },
      deps,
    );
  }
}, 60_000);

afterAll(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
});

describe('SIGKILL in the middle of a burst of reminders', () => {
  it('delivers every reminder after a restart; a duplicate is only a send in flight at the kill', async () => {
    // Act: the process wakes at Tuesday 13:00:05 and starts on the burst.
    const first = await startChild('2026-03-03T13:00:05Z');
    const deadline = Date.now() + 20_000;
    while ((await delivered()).size < 3 && Date.now() < deadline) await sleep(5);
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));
    const atKill = await delivered();
    const inFlight = new Set(
      (await claims())
        .filter((c) => c.state === 'claimed')
        .map((c) => `${String(c.caseId)}|lado.one@example.gov.uk`),
    );
    // Restarted past the claims' 120 s lease: the unconfirmed sends may be taken over.
    const second = await startChild('2026-03-03T13:05:00Z');
    const until = Date.now() + 30_000;
    let after = await delivered();
    while (after.size < CASES.length && Date.now() < until) {
      await sleep(100);
      after = await delivered();
    }
    await sleep(500); // let a straggling duplicate show itself
    after = await delivered();
    second.kill('SIGKILL');

    // Assess
    const expected = CASES.map((c) => `${c}|lado.one@example.gov.uk`);
    const lost = expected.filter((k) => !after.has(k));
    const duplicates = [...after].filter(([, n]) => n > 1).map(([k]) => k);
    console.info(
      `crash test: ${atKill.size} delivered before the kill, ${inFlight.size} in flight at it, ` +
        `${after.size}/${expected.length} delivered after the restart, ${lost.length} lost, ` +
        `${duplicates.length} duplicate(s) ${JSON.stringify(duplicates)}`,
    );
    expect(atKill.size).toBeGreaterThan(0);
    expect(atKill.size).toBeLessThan(CASES.length); // really killed mid-burst
    expect(lost).toEqual([]);
    for (const key of duplicates) expect(inFlight.has(key), key).toBe(true);
    expect((await claims()).filter((c) => c.state !== 'sent')).toEqual([]);
  });
});
