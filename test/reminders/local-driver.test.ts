import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import {
  LocalSchedulerDriver,
  makeLocalReminders,
  SimulatedClock,
} from '#functions/local/scheduler-driver.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { TimerPayload } from '#kernel/timers.js';
import { makeDocumentClient } from '#platform/clients.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoTimerStore } from '#platform/dynamodb/timer-store.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { at } from '#test/support/reminders.js';

const AUTHORITY: AuthorityConfig = {
  authority: 'Example Council',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
};

let counter = 0;
async function freshTable(): Promise<{ client: DynamoDBDocumentClient; tableName: string }> {
  const endpoint = inject('dynamoEndpoint');
  const tableName = `reminders-local-${process.pid}-${Date.now()}-${counter++}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  return { client: makeDocumentClient({ endpoint }), tableName };
}

describe('local scheduler driver', () => {
  it('fires after a restart whatever came due while it was down, in order, and deletes it', async () => {
    // Prepare: one driver schedules two timers and stops.
    const { client, tableName } = await freshTable();
    const store = new DynamoTimerStore(client, tableName);
    const payload = (deadlineId: string): TimerPayload => ({
      caseId: 'C-1001',
      deadlineId,
      kind: 'reminder',
      version: 1,
      step: 'p50',
    });
    const first = new LocalSchedulerDriver({
      store,
      clock: new SimulatedClock(at('2026-05-22T12:00:00Z')),
      fire: async () => {},
    });
    await first.schedule([
      { name: 'b', fireAt: at('2026-05-22T14:00:00Z'), payload: payload('b') },
      { name: 'a', fireAt: at('2026-05-22T13:00:00Z'), payload: payload('a') },
      { name: 'c', fireAt: at('2026-05-23T13:00:00Z'), payload: payload('c') },
    ]);
    await first.stop();
    const fired: string[] = [];
    // Act: a new process whose clock is past the first two.
    const second = new LocalSchedulerDriver({
      store,
      clock: new SimulatedClock(at('2026-05-22T15:00:00Z')),
      fire: async (p) => void fired.push(p.deadlineId),
    });
    const result = await second.tick();
    // Assess
    expect(result).toEqual({ fired: 2 });
    expect(fired).toEqual(['a', 'b']);
    expect((await store.all()).map((t) => t.name)).toEqual(['c']);
  });

  it('retries a failing timer later and parks it as dead after its attempts, never dropping it', async () => {
    // Prepare
    const { client, tableName } = await freshTable();
    const store = new DynamoTimerStore(client, tableName);
    const clock = new SimulatedClock(at('2026-05-22T12:00:00Z'));
    const driver = new LocalSchedulerDriver({
      store,
      clock,
      maxAttempts: 2,
      fire: async () => {
        throw new Error('boom');
      },
    });
    await driver.schedule([
      {
        name: 'x',
        fireAt: at('2026-05-22T11:00:00Z'),
        payload: { caseId: 'C-1', deadlineId: 'd', kind: 'due', version: 1 },
      },
    ]);
    // Act
    await driver.tick();
    await driver.advanceTo(at('2026-05-22T12:10:00Z'));
    // Assess
    expect(await store.all()).toEqual([]);
    expect((await store.all('TIMERS#DEAD')).map((t) => [t.name, t.attempts])).toEqual([['x', 2]]);
  });

  it('fires many timers due at one instant concurrently, delivering each reminder exactly once and instants in order', async () => {
    // Prepare: 24 cases with a LADO concern raised at the same minute (Mon 1 Jun 2026 16:00
    // BST): each 50% reminder is due at Tue 04:00 BST (out of hours: EDT, SMS + email), each
    // 75% at 10:00 BST (in hours: the LADO by email); the digest at 09:00 BST between them.
    // Nobody acknowledges: each alert's escalation timer fires at 04:30 BST and, with nobody on
    // call at tier 2 and no fallback contact here, is recorded as reaching nobody (no message).
    // Every 50% timer is also scheduled a second time under another name (a redelivery).
    const CASES = 24;
    const { client, tableName } = await freshTable();
    const reminders = makeLocalReminders({
      client,
      tableName,
      authority: AUTHORITY,
      sesEndpoint: inject('sesEndpoint'),
      start: at('2026-06-01T14:00:00Z'),
      concurrency: 8,
    });
    let inFlight = 0;
    let maxInFlight = 0;
    reminders.driver.onFire(async (payload) => {
      maxInFlight = Math.max(maxInFlight, ++inFlight);
      try {
        return await reminders.fire(payload);
      } finally {
        inFlight--;
      }
    });
    const deps = {
      store: new DynamoCaseStore(client, tableName),
      directory: new DynamoDirectory(client, tableName),
      engine: makeCaseEngine(AUTHORITY),
      scheduler: reminders.driver,
      clock: reminders.clock,
    };
    let n = 0;
    const send = (type: string, occurredAt: string, caseId: string | null, data: object) =>
      ingestEvent(
        { id: `EC-${++n}`, type, occurredAt, ...(caseId === null ? {} : { caseId }), data },
        deps,
      );
    const person = (personId: string, email: string, phone?: string) =>
      send('person.upserted', '2026-06-01T13:00:00Z', null, {
        personId,
        name: `Professional ${personId}`,
        email,
        team: 'north',
        ...(phone ? { phone } : {}),
      });
    await person('P-0002', 'manager.one@example.gov.uk');
    await person('P-0004', 'lado.one@example.gov.uk', '+447700900004');
    await person('P-0005', 'edt.manager.one@example.gov.uk', '+447700900005');
    await send('rota.shift', '2026-06-01T13:00:00Z', null, {
      personId: 'P-0005',
      from: '2026-06-01T16:00:00Z',
      to: '2026-06-02T08:00:00Z',
    });
    const caseIds = Array.from({ length: CASES }, (_, i) => `C-${2001 + i}`);
    reminders.clock.set(at('2026-06-01T15:00:00Z'));
    await Promise.all(
      caseIds.map(async (caseId) => {
        await send('case.opened', '2026-06-01T14:30:00Z', caseId, {
          team: 'north',
          workers: [
            { personId: 'P-0004', role: 'lado' },
            { personId: 'P-0002', role: 'team-manager' },
          ],
        });
        await send('lado.concern-raised', '2026-06-01T15:00:00Z', caseId, { allegationId: 'A-1' });
      }),
    );
    const store = new DynamoTimerStore(client, tableName);
    const firstInstant = (await store.all()).filter(
      (t) => t.fireAt.getTime() === at('2026-06-02T03:00:00Z').getTime(),
    );
    expect(firstInstant).toHaveLength(CASES);
    await reminders.driver.schedule(firstInstant.map((t) => ({ ...t, name: `${t.name}.again` })));
    // Act: Tuesday 10:30 BST.
    const { fired } = await reminders.driver.advanceTo(at('2026-06-02T09:30:00Z'));
    // Assess: concurrent, each delivery once, every 04:00 message before the digest before
    // every 10:00 one.
    const sent = reminders.outbox.list();
    expect(maxInFlight).toBeGreaterThan(1);
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(fired).toBe(CASES * 2 + CASES + 1 + CASES);
    const keys = sent.map((m) => `${m.caseId}|${m.reminderId}|${m.to}|${m.channel}`);
    expect(new Set(keys).size).toBe(keys.length);
    const edt = sent.filter((m) => m.to.includes('900005') || m.to.startsWith('edt.'));
    const lado = sent.filter((m) => m.to === 'lado.one@example.gov.uk' && m.rule !== 'digest');
    const digest = sent.filter((m) => m.rule === 'digest');
    expect(edt).toHaveLength(CASES * 2);
    expect(new Set(edt.map((m) => `${m.caseId}|${m.channel}`)).size).toBe(CASES * 2);
    expect(lado.map((m) => m.caseId).sort()).toEqual([...caseIds].sort());
    // The cases' team manager gets the digest: one line per clock.
    expect(digest.map((m) => [m.to, m.subject])).toEqual([
      ['manager.one@example.gov.uk', `Overnight EDT alerts for north: ${CASES} clocks`],
    ]);
    expect(sent.map((m) => (m.rule === 'digest' ? 1 : edt.includes(m) ? 0 : 2))).toEqual([
      ...Array(CASES * 2).fill(0),
      1,
      ...Array(CASES).fill(2),
    ]);
    expect(await store.all('TIMERS#DEAD')).toEqual([]);
    expect((await store.all()).every((t) => t.fireAt > at('2026-06-02T09:30:00Z'))).toBe(true);
    await reminders.stop();
  });

  it('moves the simulated clock forward only', () => {
    // Prepare
    const clock = new SimulatedClock(at('2026-05-22T12:00:00Z'), () => 0);
    // Act
    clock.set(at('2026-05-22T11:00:00Z'));
    const unchanged = clock.now();
    clock.set(at('2026-05-23T11:00:00Z'));
    // Assess
    expect(unchanged).toEqual(at('2026-05-22T12:00:00Z'));
    expect(clock.now()).toEqual(at('2026-05-23T11:00:00Z'));
  });
});

describe('local mode: a LADO concern raised on the Friday before a bank-holiday Monday', () => {
  let outbox: {
    channel: string;
    to: string;
    subject?: string;
    body: string;
    sentAt: string;
    caseId: string;
    rule: string;
    reminderId: string;
  }[];
  let audit: { kind: string }[];

  beforeAll(async () => {
    // Prepare: Friday 22 May 2026 16:00 BST; Monday 25 May is the Spring bank holiday.
    const { client, tableName } = await freshTable();
    const reminders = makeLocalReminders({
      client,
      tableName,
      authority: AUTHORITY,
      sesEndpoint: inject('sesEndpoint'),
      start: at('2026-05-22T15:00:00Z'),
    });
    const store = new DynamoCaseStore(client, tableName);
    const deps = {
      store,
      directory: new DynamoDirectory(client, tableName),
      engine: makeCaseEngine(AUTHORITY),
      scheduler: reminders.driver,
      clock: reminders.clock,
    };
    let n = 0;
    const send = (
      type: string,
      occurredAt: string,
      caseId: string | null,
      data: Record<string, unknown>,
    ) =>
      ingestEvent(
        { id: `E-${++n}`, type, occurredAt, ...(caseId === null ? {} : { caseId }), data },
        deps,
      );
    const person = (personId: string, email: string, phone?: string) =>
      send('person.upserted', '2026-05-22T14:00:00Z', null, {
        personId,
        name: `Person ${personId}`,
        email,
        team: 'north',
        ...(phone ? { phone } : {}),
      });
    await person('P-0002', 'manager.one@example.gov.uk');
    await person('P-0004', 'lado.one@example.gov.uk', '+447700900004');
    await person('P-0005', 'edt.manager.one@example.gov.uk', '+447700900005');
    // EDT on call from Friday 17:00 to Tuesday 09:00 BST.
    await send('rota.shift', '2026-05-22T14:00:00Z', null, {
      personId: 'P-0005',
      from: '2026-05-22T16:00:00Z',
      to: '2026-05-26T08:00:00Z',
    });
    const workers = [
      { personId: 'P-0002', role: 'team-manager' },
      { personId: 'P-0004', role: 'lado' },
    ];
    for (const caseId of ['C-1001', 'C-1002']) {
      await send('case.opened', '2026-05-22T14:30:00Z', caseId, { team: 'north', workers });
      // Friday 16:30 BST: due Saturday 16:30 BST (24 elapsed hours).
      await send('lado.concern-raised', '2026-05-22T15:30:00Z', caseId, { allegationId: 'A-1' });
    }
    // Act: Saturday 09:00 BST, C-1002's LADO is notified; then on to Tuesday 10:00 BST.
    await reminders.driver.advanceTo(at('2026-05-23T08:00:00Z'));
    await send('lado.notified', '2026-05-23T08:00:00Z', 'C-1002', { allegationId: 'A-1' });
    await reminders.driver.advanceTo(at('2026-05-26T09:00:00Z'));
    const response = await reminders.routes.getOutbox();
    outbox = JSON.parse(response.body);
    audit = (await store.listAudit('C-1001')) as { kind: string }[];
    await reminders.stop();
  });

  it('alerts the EDT manager on shift by SMS and email, in order, out of hours', () => {
    // Assess: 04:30 (both cases, 50%), 10:30 (C-1001, 75%), 16:30 (C-1001, due): SMS then email each.
    // Cases due at the same instant fire concurrently: the instants are in order, and each
    // case's messages in order; the (stable) sort only orders the cases within an instant.
    const edt = outbox
      .filter((m) => m.to === '+447700900005' || m.to === 'edt.manager.one@example.gov.uk')
      .sort(
        (a, b) =>
          a.sentAt.slice(0, 16).localeCompare(b.sentAt.slice(0, 16)) ||
          a.caseId.localeCompare(b.caseId),
      );
    // The outbox lists by minute, and within a minute in a fixed order (not by milliseconds).
    const minutes = outbox.map((m) => m.sentAt.slice(0, 16));
    expect(minutes).toEqual([...minutes].sort());
    expect(edt.map((m) => [m.sentAt.slice(0, 16), m.caseId, m.channel])).toEqual([
      ['2026-05-23T03:30', 'C-1001', 'sms'],
      ['2026-05-23T03:30', 'C-1001', 'email'],
      ['2026-05-23T03:30', 'C-1002', 'sms'],
      ['2026-05-23T03:30', 'C-1002', 'email'],
      ['2026-05-23T09:30', 'C-1001', 'sms'],
      ['2026-05-23T09:30', 'C-1001', 'email'],
      // At its due time the clock breaches (the due timer fires first at that instant), and
      // the breach step stands for the at-due one: the message says BREACHED.
      ['2026-05-23T15:30', 'C-1001', 'sms'],
      ['2026-05-23T15:30', 'C-1001', 'email'],
    ]);
    expect(edt[6]?.body).toMatch(
      /URGENT: C-1001 LADO notification BREACHED, under a minute late\./,
    );
    expect(edt[7]?.subject).toBe(
      'URGENT: C-1001: LADO notification BREACHED, under a minute late — Saturday 23 May 2026, 16:30 (BST)',
    );
    expect(edt.every((m) => m.rule === 'lado-notification')).toBe(true);
    expect(edt[0]?.body).toBe(
      'Example Council. URGENT: C-1001 LADO notification due Saturday 23 May 2026, 16:30 (BST). https://cases.example.gov.uk/cases/C-1001',
    );
  });

  it('sends nothing for C-1002 after lado.notified', () => {
    expect(outbox.filter((m) => m.caseId === 'C-1002' && m.sentAt > '2026-05-23T08:00')).toEqual(
      [],
    );
  });

  it('gives the team manager one digest at 09:00 on Tuesday (Monday is a bank holiday)', () => {
    // Assess: one line per clock (C-1001 alerted four times, C-1002 once).
    const digests = outbox.filter((m) => m.rule === 'digest');
    expect(digests.map((m) => [m.sentAt.slice(0, 16), m.to, m.subject])).toEqual([
      [
        '2026-05-26T08:00',
        'manager.one@example.gov.uk',
        'Bank holiday weekend EDT alerts for north: 2 clocks',
      ],
    ]);
    // 8 to the EDT manager, the digest, and C-1001's breach repeated to the LADO at the
    // first opening after it (Tuesday 09:00: the LADO is in hours, by email).
    const repeat = outbox.filter((m) => m.reminderId.includes('.br1.'));
    expect(repeat.map((m) => [m.sentAt.slice(0, 16), m.to, m.channel])).toEqual([
      ['2026-05-26T08:00', 'lado.one@example.gov.uk', 'email'],
    ]);
    expect(outbox).toHaveLength(10);
  });

  it('records fired, rerouted and sent reminders in the case audit', () => {
    const kinds = audit.map((a) => a.kind);
    expect(kinds).toContain('reminder-planned');
    expect(kinds.filter((k) => k === 'reminder-fired').length).toBeGreaterThanOrEqual(3);
    expect(kinds.filter((k) => k === 'reminder-rerouted')).toHaveLength(6);
    // 6 to the EDT manager, the breach's repeat to the LADO, the digest.
    expect(kinds.filter((k) => k === 'reminder-sent')).toHaveLength(8);
    expect(kinds).toContain('breached');
  });
});
