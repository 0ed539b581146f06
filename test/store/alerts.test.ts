/**
 * The alert store on DynamoDB Local: an alert and its clock's state are written together or
 * not at all; a write on a stale revision (a concurrent acknowledgement, alert or escalation)
 * is `AlertConflictError` and changes nothing; an acknowledgement moves the alerts from the
 * open list to the acknowledged one; lists are newest first, paged by cursors the store made.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import type { AlertAck } from '#kernel/alert-state.js';
import { AlertConflictError, ValidationError } from '#kernel/errors.js';
import { emptyClockAlerts, withAck, withAlert } from '#kernel/reminders/alerts.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { freshTable } from '#test/api/support.js';
import { openLadoAlert } from '#test/support/alerts.js';

let store: DynamoAlertStore;

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'alerts-store');
  store = new DynamoAlertStore(table.client, table.tableName);
});

/** The tier-1 alert of a step of C-<n>'s LADO clock, sent at `sentAt`. */
const alertOf = (caseId: string, step: string, sentAt: string) =>
  openLadoAlert({ caseId, step, sentAt: new Date(sentAt) });

describe('the alert store', () => {
  it('records an alert with its clock’s state, and reads both back as written', async () => {
    const alert = alertOf('C-4001', 'p50', '2026-05-23T03:30:00Z');
    const before = await store.getClock(alert.caseId, alert.deadlineId);
    const { clock: after } = withAlert(before, alert);
    await store.recordAlert(alert, before, after);
    expect(before).toEqual(emptyClockAlerts(alert.caseId, alert.deadlineId));
    expect(await store.getAlert(alert.alertId)).toEqual(alert);
    expect(await store.getClock(alert.caseId, alert.deadlineId)).toEqual({ ...after, revision: 1 });
  });

  it('refuses a write on a stale revision, and writes neither the alert nor the state', async () => {
    const first = alertOf('C-4002', 'p50', '2026-05-23T03:30:00Z');
    const second = alertOf('C-4002', 'p75', '2026-05-23T09:30:00Z');
    const before = await store.getClock(first.caseId, first.deadlineId);
    // Two writers read the same (empty) state; the first wins.
    await store.recordAlert(first, before, withAlert(before, first).clock);
    await expect(
      store.recordAlert(second, before, withAlert(before, second).clock),
    ).rejects.toBeInstanceOf(AlertConflictError);
    expect(await store.getAlert(second.alertId)).toBeUndefined();
    expect((await store.getClock(first.caseId, first.deadlineId)).open).toEqual([first.alertId]);
  });

  it('refuses an alert id already taken', async () => {
    const alert = alertOf('C-4003', 'p50', '2026-05-23T03:30:00Z');
    const before = await store.getClock(alert.caseId, alert.deadlineId);
    await store.recordAlert(alert, before, withAlert(before, alert).clock);
    const now = await store.getClock(alert.caseId, alert.deadlineId);
    await expect(store.recordAlert(alert, now, now)).rejects.toBeInstanceOf(AlertConflictError);
    expect((await store.getClock(alert.caseId, alert.deadlineId)).revision).toBe(1);
  });

  it('acknowledges every open alert of the clock at once: they leave the open list', async () => {
    const p50 = alertOf('C-4004', 'p50', '2026-05-23T03:30:00Z');
    const p75 = alertOf('C-4004', 'p75', '2026-05-23T09:30:00Z');
    let clock = await store.getClock(p50.caseId, p50.deadlineId);
    for (const alert of [p50, p75]) {
      await store.recordAlert(alert, clock, withAlert(clock, alert).clock);
      clock = await store.getClock(p50.caseId, p50.deadlineId);
    }
    const ack: AlertAck = {
      at: new Date('2026-05-23T09:40:00Z'),
      alertId: p75.alertId,
      via: 'sms',
      by: 1,
      personId: 'P-0005',
      phase: 'open',
    };
    const next = withAck(clock, 'open', ack);
    await store.acknowledge(clock, next?.clock ?? clock, next?.acknowledged ?? [], ack);
    const open = await store.listAlerts({ status: 'open', limit: 500 });
    const acknowledged = await store.listAlerts({ status: 'acknowledged', limit: 500 });
    expect(open.alerts.filter((a) => a.caseId === 'C-4004')).toEqual([]);
    expect(acknowledged.alerts.filter((a) => a.caseId === 'C-4004')).toEqual([
      { ...p75, status: 'acknowledged', ack },
      { ...p50, status: 'acknowledged', ack },
    ]);
    // A second acknowledgement from the state read before the first is stale.
    await expect(
      store.acknowledge(clock, next?.clock ?? clock, [p50.alertId], ack),
    ).rejects.toBeInstanceOf(AlertConflictError);
  });

  it('lists newest first, a page at a time, and refuses a cursor it did not make', async () => {
    for (const [i, hour] of ['01', '02', '03'].entries()) {
      const alert = alertOf(`C-41${i}0`, 'p50', `2026-06-01T${hour}:00:00Z`);
      const before = await store.getClock(alert.caseId, alert.deadlineId);
      await store.recordAlert(alert, before, withAlert(before, alert).clock);
    }
    const pages: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listAlerts({ status: 'open', limit: 2, cursor });
      pages.push(...page.alerts.map((a) => a.caseId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    // Newest first: the June alerts before the May ones of the earlier tests.
    expect(pages.slice(0, 3)).toEqual(['C-4120', 'C-4110', 'C-4100']);
    expect(new Set(pages).size).toBe(pages.length);
    const forged = Buffer.from(JSON.stringify({ pk: 'CASE#C-1', sk: 'CASE' })).toString(
      'base64url',
    );
    await expect(
      store.listAlerts({ status: 'open', limit: 2, cursor: forged }),
    ).rejects.toBeInstanceOf(ValidationError);
  });
});
