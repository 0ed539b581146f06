/**
 * Fault injection at the timer seam: the Scheduler invokes the same timer twice, at once and
 * again later, and out of order (a stale version after the deadline moved on); a timer fires
 * after its case closed. Real DynamoDB Local behind the fire use case; channels record.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeTimerHandler } from '#functions/fire/handler.js';
import { buildFireDeps } from '#functions/fire/wiring.js';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { Timer, TimerPayload } from '#kernel/timers.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { RecordingChannel } from '#test/support/reminders.js';

const clock = { current: new Date('2026-03-02T10:00:00Z'), now: () => new Date(clock.current) };
let table: Awaited<ReturnType<typeof freshTable>>;
let scheduler: RecordingScheduler;
let email: RecordingChannel;
let sms: RecordingChannel;
let fire: (payload: TimerPayload) => Promise<unknown>;
let store: DynamoCaseStore;
let send: (body: Record<string, unknown>) => Promise<unknown>;
const quiet = { info: () => {}, warn: () => {}, error: () => {} };

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'faults-fire');
  scheduler = new RecordingScheduler();
  email = new RecordingChannel('email', 5);
  sms = new RecordingChannel('sms', 5);
  store = new DynamoCaseStore(table.client, table.tableName);
  const deps = {
    store,
    directory: new DynamoDirectory(table.client, table.tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler,
    clock,
  };
  send = (body) => ingestEvent(body, deps);
  fire = makeTimerHandler(
    buildFireDeps({
      client: table.client,
      tableName: table.tableName,
      authority: AUTHORITY,
      scheduler,
      channels: { email, sms },
      emailFrom: 'timescales@example.gov.uk',
      clock,
      log: quiet,
    }),
  ) as (payload: TimerPayload) => Promise<unknown>;
  const person = (personId: string, name: string, mail: string, phone: string) =>
    send({
      id: `fire-${personId}`,
      type: 'person.upserted',
      occurredAt: '2026-03-01T09:00:00Z',
      data: { personId, name, email: mail, phone, team: 'north' },
    });
  await person('P-0002', 'Manager One', 'manager.one@example.gov.uk', '+447700900123');
  await person('P-0004', 'Lado One', 'lado.one@example.gov.uk', '+447700900124');
});

/** Opens a case with a LADO concern raised Monday 2 March 2026 10:00 (due Tuesday 10:00). */
async function caseWithConcern(caseId: string) {
  clock.current = new Date('2026-03-02T10:00:00Z');
  await send({
    id: `${caseId}-open`,
    type: 'case.opened',
    occurredAt: '2026-03-02T09:30:00Z',
    caseId,
    data: {
      team: 'north',
      workers: [
        { personId: 'P-0002', role: 'team-manager' },
        { personId: 'P-0004', role: 'lado' },
      ],
    },
  });
  await send({
    id: `${caseId}-concern`,
    type: 'lado.concern-raised',
    occurredAt: '2026-03-02T10:00:00Z',
    caseId,
    data: { allegationId: 'A-1' },
  });
  const timers = [...scheduler.timers.values()].filter((t) => t.payload.caseId === caseId);
  const lado = (t: Timer) => t.payload.deadlineId.startsWith('lado-notification');
  const due = timers.find((t) => lado(t) && t.payload.kind === 'due');
  // The at-due reminder: Tuesday 10:00, inside office hours, so it goes out at once.
  const atDue = timers
    .filter((t) => lado(t) && t.payload.kind === 'reminder')
    .sort((a, b) => b.fireAt.getTime() - a.fireAt.getTime())[0];
  if (due === undefined || atDue === undefined) throw new Error(`no LADO timers for ${caseId}`);
  return { due, atDue };
}

const sentFor = (caseId: string) =>
  [...email.sent, ...sms.sent].filter((m) => m.meta.caseId === caseId);

describe('the Scheduler invoking timers twice and out of order', () => {
  it('the same reminder timer fired 3 times at once, then again, sends each message once', async () => {
    // Prepare
    const { atDue } = await caseWithConcern('C-4001');
    clock.current = atDue.fireAt;
    // Act
    const outcomes = await Promise.allSettled([1, 2, 3].map(() => fire(atDue.payload)));
    await fire(atDue.payload).catch(() => undefined);
    // A firing that met a send in flight elsewhere throws to be retried: retry it as EventBridge would.
    for (const o of outcomes) if (o.status === 'rejected') await fire(atDue.payload);
    // Assess: one message per recipient and channel, never two.
    const sent = sentFor('C-4001');
    expect(sent.length).toBeGreaterThan(0);
    const keys = sent.map((m) => `${m.meta.personId}|${m.channel}|${m.meta.reminderId}`);
    expect(new Set(keys).size).toBe(keys.length);
    const audit = await store.listAudit('C-4001');
    expect(audit.filter((e) => e.kind === 'reminder-sent')).toHaveLength(sent.length);
  });

  it('a due timer fired twice breaches once; the stale timers that follow do nothing', async () => {
    // Prepare
    const { due, atDue } = await caseWithConcern('C-4002');
    clock.current = new Date(due.fireAt.getTime() + 1000);
    const before = (await store.loadCase('C-4002'))?.version ?? 0;
    // Act: the due timer twice, then (out of order) the reminder planned under the old version.
    const first = await fire(due.payload);
    const second = await fire(due.payload);
    const staleReminder = await fire(atDue.payload);
    // Assess
    expect(first).toEqual({ status: 'advanced', changed: true });
    expect(second).toEqual({ status: 'ignored', reason: 'stale-version' });
    expect(staleReminder).toEqual({ status: 'ignored', reason: 'stale-version' });
    const after = await store.loadCase('C-4002');
    expect(after?.version).toBe(before + 1);
    const deadline = after?.aggregate.deadlines.find((d) => d.id === due.payload.deadlineId);
    expect(deadline?.status).toBe('breached');
    expect(deadline?.version).toBe(due.payload.version + 1);
    expect(sentFor('C-4002')).toHaveLength(0);
  });

  it('the re-planned at-due reminder fired after the stale one and twice sends once', async () => {
    // Prepare
    const { due } = await caseWithConcern('C-4003');
    clock.current = new Date(due.fireAt.getTime() + 1000);
    await fire(due.payload);
    const replanned = [...scheduler.timers.values()].find(
      (t) =>
        t.payload.caseId === 'C-4003' &&
        t.payload.deadlineId === due.payload.deadlineId &&
        t.payload.kind === 'reminder' &&
        t.payload.version === due.payload.version + 1,
    );
    expect(replanned).toBeDefined();
    if (replanned === undefined) return;
    // Act
    await fire(replanned.payload);
    const count = sentFor('C-4003').length;
    await fire(replanned.payload);
    // Assess
    expect(count).toBeGreaterThan(0);
    expect(sentFor('C-4003')).toHaveLength(count);
  });
});

describe('a timer fired after its case closed', () => {
  it('sends nothing, and the audit shows the close and no reminder', async () => {
    // Prepare
    const { due, atDue } = await caseWithConcern('C-4004');
    await send({
      id: 'C-4004-close',
      type: 'case.closed',
      occurredAt: '2026-03-02T11:00:00Z',
      caseId: 'C-4004',
      data: {},
    });
    // The close cancelled the case's timers; the Scheduler fires them anyway (a late delete).
    expect(scheduler.timers.has(atDue.name)).toBe(false);
    expect(scheduler.timers.has(due.name)).toBe(false);
    clock.current = atDue.fireAt;
    const version = (await store.loadCase('C-4004'))?.version;
    // Act
    const reminder = await fire(atDue.payload);
    const overdue = await fire(due.payload);
    // Assess
    expect(reminder).toMatchObject({ status: 'ignored' });
    expect(overdue).toMatchObject({ status: 'ignored' });
    expect(sentFor('C-4004')).toHaveLength(0);
    expect((await store.loadCase('C-4004'))?.version).toBe(version);
    const kinds = (await store.listAudit('C-4004')).map((e) => e.kind);
    expect(kinds.some((k) => /clos/.test(k))).toBe(true);
    expect(kinds.filter((k) => k === 'reminder-sent' || k === 'reminder-fired')).toEqual([]);
  });
});
