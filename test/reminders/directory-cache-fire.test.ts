/**
 * The reminders handler's directory cache, end to end on DynamoDB Local: `buildFireDeps` wires
 * one `CachedDirectory` per process; a directory change written before a fire (through the
 * ingest use case, as the event API writes it) is seen by that fire — by a reminder through
 * the directory stamp read with its case, by the morning digest through the stamp read with its
 * cases.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, inject, it } from 'vitest';
import { makeHandler } from '#functions/fire/handler.js';
import { buildFireDeps } from '#functions/fire/wiring.js';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { RecordingScheduler } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { TimerPayload } from '#kernel/timers.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { digestEntryItem } from '#platform/dynamodb/timer-store.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { RecordingChannel } from '#test/support/reminders.js';

const quiet = { info: () => {}, warn: () => {}, error: () => {} };
// Tuesday 3 March 2026 10:00 GMT: the at-due reminder of a LADO concern raised Monday 10:00.
const TUESDAY_10 = new Date('2026-03-03T10:00:00Z');

async function setUp() {
  const table = await freshTable(inject('dynamoEndpoint'), 'dircache-fire');
  const clock = { current: new Date('2026-03-02T10:00:00Z'), now: () => new Date(clock.current) };
  const scheduler = new RecordingScheduler();
  const email = new RecordingChannel('email');
  const ingestDeps = {
    store: new DynamoCaseStore(table.client, table.tableName),
    directory: new DynamoDirectory(table.client, table.tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler,
    clock,
  };
  let n = 0;
  const send = (type: string, data: object, caseId?: string) =>
    ingestEvent(
      {
        id: `DCF-${++n}`,
        type,
        occurredAt: clock.current.toISOString(),
        ...(caseId === undefined ? {} : { caseId }),
        data,
      },
      ingestDeps,
    );
  // One process's deps: one directory cache across every fire below.
  const fire = makeHandler(
    buildFireDeps({
      client: table.client,
      tableName: table.tableName,
      authority: AUTHORITY,
      scheduler,
      channels: { email, sms: new RecordingChannel('sms') },
      emailFrom: 'timescales@example.gov.uk',
      clock,
      log: quiet,
    }),
  ) as (payload: TimerPayload) => Promise<unknown>;
  for (const [personId, mail] of [
    ['P-0002', 'manager.one@example.gov.uk'],
    ['P-0004', 'lado.one@example.gov.uk'],
  ] as const)
    await send('person.upserted', {
      personId,
      name: `Professional ${personId}`,
      email: mail,
      team: 'north',
    });
  /** A case with a LADO (P-0004) and a concern raised Monday 10:00; its Tuesday 10:00 reminder. */
  const caseWithConcern = async (caseId: string): Promise<TimerPayload> => {
    clock.current = new Date('2026-03-02T10:00:00Z');
    await send(
      'case.opened',
      {
        team: 'north',
        workers: [
          { personId: 'P-0002', role: 'team-manager' },
          { personId: 'P-0004', role: 'lado' },
        ],
      },
      caseId,
    );
    await send('lado.concern-raised', { allegationId: 'A-1' }, caseId);
    const atDue = [...scheduler.timers.values()].find(
      (t) =>
        t.payload.caseId === caseId &&
        t.payload.deadlineId.startsWith('lado-notification') &&
        t.payload.kind === 'reminder' &&
        t.fireAt.getTime() === TUESDAY_10.getTime(),
    );
    if (atDue === undefined) throw new Error(`no Tuesday 10:00 reminder for ${caseId}`);
    return atDue.payload as TimerPayload;
  };
  const ladoAway = () =>
    send('person.away', {
      personId: 'P-0004',
      from: '2026-03-03T09:00:00Z',
      to: '2026-03-06T17:00:00Z',
      delegateId: 'P-0002',
    });
  const emailsFor = (caseId: string) =>
    email.sent.filter((m) => m.meta.caseId === caseId).map((m) => m.to);
  return { table, clock, send, fire, caseWithConcern, ladoAway, emailsFor };
}

describe('reminders handler: the directory cache sees every directory write before a fire', () => {
  it('a reminder fired after the LADO went away goes to the delegate (the stamp read with the case)', async () => {
    // Prepare: two cases; the first reminder fires while the LADO is in (and is cached so).
    const t = await setUp();
    const first = await t.caseWithConcern('C-3001');
    const second = await t.caseWithConcern('C-3002');
    t.clock.current = TUESDAY_10;
    await t.fire(first);
    // Act: the LADO goes away (delegate P-0002); the second reminder fires.
    await t.ladoAway();
    await t.fire(second);
    // Assess
    expect(t.emailsFor('C-3001')).toContain('lado.one@example.gov.uk');
    expect(t.emailsFor('C-3002'), 'the fire after the away must route to the delegate').toEqual(
      expect.arrayContaining(['manager.one@example.gov.uk']),
    );
    expect(t.emailsFor('C-3002')).not.toContain('lado.one@example.gov.uk');
  });

  it('the morning digest after the LADO went away goes to the delegate (the stamp read with its cases)', async () => {
    // Prepare: a reminder fires while the LADO is in (the cache now holds them as not away);
    // an overnight alert's digest entry names the LADO.
    const t = await setUp();
    const first = await t.caseWithConcern('C-3003');
    t.clock.current = TUESDAY_10;
    await t.fire(first);
    await t.table.client.send(
      new PutCommand({
        TableName: t.table.tableName,
        Item: digestEntryItem({
          team: 'north',
          date: '2026-03-03',
          caseId: 'C-3003',
          reminderId: 'r.C-3003.overnight',
          rule: 'lado-notification',
          dueAt: new Date('2026-03-03T10:00:00Z'),
          alertedAt: new Date('2026-03-03T02:00:00Z'),
          recipientIds: ['P-0004'],
        }),
      }),
    );
    // Act: the LADO goes away; the digest fires.
    await t.ladoAway();
    t.clock.current = new Date('2026-03-03T10:05:00Z');
    await t.fire({
      caseId: 'team:north',
      deadlineId: '2026-03-03',
      kind: 'digest',
      version: 0,
    });
    // Assess
    expect(t.emailsFor('team:north'), 'the digest after the away must go to the delegate').toEqual([
      'manager.one@example.gov.uk',
    ]);
  });
});
