/**
 * The fire path's store on DynamoDB Local: a claim and the alert it records are one
 * conditional write — both or neither; a guard that no longer holds (the clock moved, the
 * alert id taken) is a conflict that writes nothing; a finished claim is answered from the
 * failed condition itself (no second read); an overnight alert's outcome, audit lines and
 * digest entry are one write. And what an out-of-hours alert costs end to end: one read, one
 * claim, one record.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { DynamoFiringStore } from '#functions/fire/firing-store.js';
import { makeHandler } from '#functions/fire/handler.js';
import { buildFireDeps } from '#functions/fire/wiring.js';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { RecordingScheduler } from '#functions/local/server.js';
import type { Alert } from '#kernel/alert-state.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { emptyClockAlerts, withAlert } from '#kernel/reminders/alerts.js';
import type { TimerPayload } from '#kernel/timers.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import * as keys from '#platform/dynamodb/keys.js';
import { DynamoDigestStore } from '#platform/dynamodb/timer-store.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { openLadoAlert } from '#test/support/alerts.js';
import { at, RecordingChannel } from '#test/support/reminders.js';

let table: Awaited<ReturnType<typeof freshTable>>;
let store: DynamoFiringStore;
let alerts: DynamoAlertStore;

beforeAll(async () => {
  table = await freshTable(inject('dynamoEndpoint'), 'firing-store');
  store = new DynamoFiringStore(table.client, table.tableName);
  alerts = new DynamoAlertStore(table.client, table.tableName);
});

const NOW = at('2026-05-23T03:30:00Z');

/** C-<n>'s tier-1 alert of its LADO clock's 50% step. */
const alertOf = (caseId: string) => openLadoAlert({ caseId, sentAt: NOW });
const keyOf = (alert: Alert) => ({
  caseId: alert.caseId,
  reminderId: alert.reminderId,
  personId: 'P-0005',
});
const guardOf = (alert: Alert) => {
  const before = emptyClockAlerts(alert.caseId, alert.deadlineId);
  return { alert, clock: { before, after: withAlert(before, alert).clock } };
};
const claimState = async (key: ReturnType<typeof keyOf>) =>
  (
    await table.client.send(
      new GetCommand({
        TableName: table.tableName,
        Key: keys.sendClaim(key),
        ConsistentRead: true,
      }),
    )
  ).Item?.state;

describe('a claim with the alert it records', () => {
  it('writes the claim, the alert and the clock together, in one call', async () => {
    const alert = alertOf('C-6001');
    const sent = vi.spyOn(table.client, 'send');
    const result = await store.claim({ key: keyOf(alert), guard: guardOf(alert) }, NOW, 60_000);
    const calls = sent.mock.calls.map(([c]) => c.constructor.name);
    sent.mockRestore();
    expect(result.outcome).toBe('acquired');
    expect(calls).toEqual(['TransactWriteCommand']);
    expect(await claimState(keyOf(alert))).toBe('claimed');
    expect(await alerts.getAlert(alert.alertId)).toEqual(alert);
    expect((await alerts.getClock(alert.caseId, alert.deadlineId)).open).toEqual([alert.alertId]);
  });

  it('is a conflict that writes nothing when the clock moved since it was read', async () => {
    // Prepare: another alert of the same clock recorded first (revision 1).
    const alert = alertOf('C-6002');
    const other = { ...alertOf('C-6002'), alertId: 'AAAAAAAA', reminderId: 'other' };
    await alerts.recordAlert(other, guardOf(other).clock.before, guardOf(other).clock.after);
    // Act: the claim decided from the empty state read before.
    const result = await store.claim({ key: keyOf(alert), guard: guardOf(alert) }, NOW, 60_000);
    // Assess
    expect(result).toEqual({ outcome: 'conflict' });
    expect(await claimState(keyOf(alert))).toBeUndefined();
    expect(await alerts.getAlert(alert.alertId)).toBeUndefined();
  });

  it('is a conflict when another clock’s alert holds the id', async () => {
    const alert = alertOf('C-6003');
    const taken = { ...alertOf('C-6099'), alertId: alert.alertId };
    await alerts.recordAlert(taken, guardOf(taken).clock.before, guardOf(taken).clock.after);
    const result = await store.claim({ key: keyOf(alert), guard: guardOf(alert) }, NOW, 60_000);
    expect(result).toEqual({ outcome: 'conflict' });
    expect(await claimState(keyOf(alert))).toBeUndefined();
    expect((await alerts.getClock(alert.caseId, alert.deadlineId)).revision).toBe(0);
  });

  it('answers a finished claim from its failed condition, and writes no alert with it', async () => {
    // Prepare: the claim already sent (by a firing whose alert state is not this one's).
    const alert = alertOf('C-6004');
    const first = await store.claim({ key: keyOf(alert) }, NOW, 60_000);
    if (first.outcome !== 'acquired') throw new Error('expected to acquire');
    await store.record({
      now: NOW,
      finished: [
        { key: keyOf(alert), token: first.token, outcomes: [{ channel: 'sms', state: 'sent' }] },
      ],
      audit: [],
    });
    const sent = vi.spyOn(table.client, 'send');
    // Act
    const again = await store.claim({ key: keyOf(alert), guard: guardOf(alert) }, NOW, 60_000);
    const plain = await store.claim({ key: keyOf(alert) }, NOW, 60_000);
    const calls = sent.mock.calls.length;
    sent.mockRestore();
    // Assess: one call each, both duplicates; the guard not written.
    expect([again, plain]).toEqual([{ outcome: 'sent' }, { outcome: 'sent' }]);
    expect(calls).toBe(2);
    expect(await alerts.getAlert(alert.alertId)).toBeUndefined();
  });

  it('a finished claim owes a follow-up while a refused channel’s is not marked done', async () => {
    // Prepare: C-6005's claim finished with its email sent and its text refused; C-6006's
    // with both refused.
    const outcomesOf = {
      'C-6005': [
        { channel: 'email' as const, state: 'sent' as const },
        { channel: 'sms' as const, state: 'failed' as const, reason: 'opted out' },
      ],
      'C-6006': [
        { channel: 'email' as const, state: 'failed' as const, reason: 'bounced' },
        { channel: 'sms' as const, state: 'failed' as const, reason: 'opted out' },
      ],
    };
    for (const [caseId, outcomes] of Object.entries(outcomesOf)) {
      const key = keyOf(alertOf(caseId));
      const first = await store.claim({ key }, NOW, 60_000);
      if (first.outcome !== 'acquired') throw new Error('expected to acquire');
      await store.record({
        now: NOW,
        finished: [{ key, token: first.token, outcomes }],
        audit: [],
      });
    }
    // Act
    const partly = await store.claim({ key: keyOf(alertOf('C-6005')) }, NOW, 60_000);
    const wholly = await store.claim({ key: keyOf(alertOf('C-6006')) }, NOW, 60_000);
    // Assess
    expect(partly).toEqual({ outcome: 'sent', followUpOwed: true });
    expect(wholly).toEqual({ outcome: 'failed', followUpOwed: true });
    // The follow-up done and marked: nothing owed
    await store.followedUp(keyOf(alertOf('C-6005')));
    expect(await store.claim({ key: keyOf(alertOf('C-6005')) }, NOW, 60_000)).toEqual({
      outcome: 'sent',
    });
  });

  it('a takeover says whether the earlier attempt recorded what it sent', async () => {
    // Prepare: C-6007's sender stopped after its claim, recording nothing; C-6008's recorded
    // its email sent and its text held back by the provider's rate limit.
    const stopped = keyOf(alertOf('C-6007'));
    await store.claim({ key: stopped }, NOW, 60_000);
    const held = keyOf(alertOf('C-6008'));
    const first = await store.claim({ key: held }, NOW, 60_000);
    if (first.outcome !== 'acquired') throw new Error('expected to acquire');
    await store.record({
      now: NOW,
      finished: [
        {
          key: held,
          token: first.token,
          outcomes: [
            { channel: 'email', state: 'sent', messageId: 'm-1' },
            { channel: 'sms', state: 'throttled', reason: 'RateLimitError' },
          ],
        },
      ],
      audit: [],
    });
    // Act: both taken over after the first lease
    const later = new Date(NOW.getTime() + 61_000);
    const afterStop = await store.claim({ key: stopped }, later, 60_000);
    const afterHold = await store.claim({ key: held }, later, 60_000);
    // Assess: only the stopped one may have sent unrecorded messages
    expect(afterStop).toMatchObject({ outcome: 'acquired', takeover: true, unrecorded: true });
    expect(afterHold).toMatchObject({
      outcome: 'acquired',
      takeover: true,
      done: [{ channel: 'email', state: 'sent', messageId: 'm-1' }],
    });
    expect(afterHold).not.toHaveProperty('unrecorded');
  });

  it('records a digest of more cases than a transaction holds: every line lands', async () => {
    const entries = Array.from({ length: 130 }, (_, i) => ({
      entries: [
        {
          caseId: `C-7${String(i).padStart(3, '0')}`,
          at: NOW,
          kind: 'reminder-sent' as const,
          detail: { digest: 'digest:2026-05-26:north' },
        },
      ],
      caseVersion: 1,
    }));
    await store.record({ now: NOW, finished: [], audit: entries });
    const cases = new DynamoCaseStore(table.client, table.tableName);
    for (const caseId of ['C-7000', 'C-7099', 'C-7100', 'C-7129'])
      expect((await cases.listAudit(caseId)).map((e) => e.kind)).toEqual(['reminder-sent']);
  });
});

describe('an overnight alert’s record (DynamoDB Local)', () => {
  it('writes its claim’s outcome, its audit lines and its morning-digest entry in one BatchWriteItem', async () => {
    // Prepare: the EDT manager's claim, acquired.
    const alertedAt = at('2026-05-23T03:30:00Z');
    const digest = {
      team: 'north',
      date: '2026-05-26',
      caseId: 'C-1002',
      reminderId: 'lado-notification.A-1.p50.x',
      rule: 'lado-notification',
      dueAt: at('2026-05-23T15:00:00Z'),
      alertedAt,
      recipientIds: ['P-0002'],
    };
    const k = { caseId: 'C-1002', reminderId: digest.reminderId, personId: 'P-0005' };
    const claimed = await store.claim({ key: k }, alertedAt, 60_000);
    if (claimed.outcome !== 'acquired') throw new Error('expected to acquire');
    const sent = vi.spyOn(table.client, 'send');
    // Act
    await store.record({
      now: alertedAt,
      finished: [
        {
          key: k,
          token: claimed.token,
          outcomes: [{ channel: 'sms', state: 'sent', messageId: 's-9' }],
        },
      ],
      audit: [
        {
          entries: [
            {
              caseId: 'C-1002',
              at: alertedAt,
              kind: 'reminder-sent',
              deadlineId: 'lado-notification.A-1',
              detail: { reminderId: digest.reminderId, personId: 'P-0005', channel: 'sms' },
            },
          ],
          caseVersion: 3,
        },
      ],
      digest,
    });
    // Assess: one call; the claim final, both items readable through the store and the digest reader.
    expect(sent.mock.calls.map(([command]) => command.constructor.name)).toEqual([
      'BatchWriteCommand',
    ]);
    sent.mockRestore();
    expect(await store.claim({ key: k }, at('2026-06-23T03:30:00Z'), 60_000)).toEqual({
      outcome: 'sent',
    });
    expect(
      await new DynamoDigestStore(table.client, table.tableName).list('north', '2026-05-26'),
    ).toEqual([digest]);
    const trail = await new DynamoCaseStore(table.client, table.tableName).listAudit('C-1002');
    expect(trail.map((e) => [e.kind, (e.detail as { personId?: string }).personId])).toEqual([
      ['reminder-sent', 'P-0005'],
    ]);
  });
});

describe('an out-of-hours alert, end to end (DynamoDB Local)', () => {
  it('costs one read, one claim with the alert and one record; a redelivery reads its alert and sends nothing', async () => {
    // Prepare: a LADO concern raised Monday 1 June 2026 16:00 BST; the 50% step at Tuesday
    // 04:00 BST goes to the EDT manager on the rota.
    const clock = { current: at('2026-06-01T13:00:00Z'), now: () => new Date(clock.current) };
    const scheduler = new RecordingScheduler();
    const ingest = {
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
          id: `FS-${++n}`,
          type,
          occurredAt: clock.current.toISOString(),
          data,
          ...(caseId ? { caseId } : {}),
        },
        ingest,
      );
    await send('person.upserted', {
      personId: 'P-0005',
      name: 'Edt Manager One',
      email: 'edt.manager.one@example.gov.uk',
      phone: '+447700900005',
      team: 'edt',
    });
    await send('rota.shift', {
      personId: 'P-0005',
      from: '2026-06-01T16:00:00Z',
      to: '2026-06-02T08:00:00Z',
    });
    clock.current = at('2026-06-01T15:00:00Z');
    for (const caseId of ['C-6100', 'C-6101']) {
      await send(
        'case.opened',
        { team: 'north', workers: [{ personId: 'P-0004', role: 'lado' }] },
        caseId,
      );
      await send('lado.concern-raised', { allegationId: 'A-1' }, caseId);
    }
    const p50Of = (caseId: string) => {
      const found = [...scheduler.timers.values()].find(
        (t) => t.payload.caseId === caseId && t.payload.step === 'p50',
      );
      if (found === undefined) throw new Error(`no 50% timer for ${caseId}`);
      return found;
    };
    const p50 = p50Of('C-6100');
    const sms = new RecordingChannel('sms');
    const fire = makeHandler(
      buildFireDeps({
        client: table.client,
        tableName: table.tableName,
        authority: AUTHORITY,
        scheduler,
        channels: { email: new RecordingChannel('email'), sms },
        emailFrom: 'timescales@example.gov.uk',
        clock,
        log: { info: () => {}, warn: () => {}, error: () => {} },
        alerts: { tokenKey: undefined, replyYes: false },
      }),
    ) as (payload: TimerPayload) => Promise<unknown>;
    clock.current = p50.fireAt;
    // The process is warm: it has read the calendar feed and the rota for another case.
    await fire(p50Of('C-6101').payload);
    // Act
    const sent = vi.spyOn(table.client, 'send');
    await fire(p50.payload);
    const first = sent.mock.calls.map(([c]) => c.constructor.name);
    sent.mockClear();
    await fire(p50.payload);
    const again = sent.mock.calls.map(([c]) => c.constructor.name);
    sent.mockRestore();
    // Assess
    expect(first).toEqual(['BatchGetCommand', 'TransactWriteCommand', 'BatchWriteCommand']);
    // The redelivery: the read, its alert, the claim found sent, its audit lines with the
    // digest entry (written again, the same item).
    expect(again).toEqual([
      'BatchGetCommand',
      'BatchGetCommand',
      'PutCommand',
      'BatchWriteCommand',
    ]);
    expect(sms.sent.filter((m) => m.meta.caseId === 'C-6100')).toHaveLength(1);
    const kinds = [...scheduler.timers.values()].map((t) => t.payload.kind);
    expect(kinds).toEqual(expect.arrayContaining(['escalation', 'digest']));
  });
});
