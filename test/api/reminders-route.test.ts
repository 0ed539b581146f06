/**
 * GET /v1/cases/{caseId}/reminders and the planned/cancelled reminder lines
 * the webhook path writes into the case's audit trail, on DynamoDB Local.
 */
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler as makeEventsHandler } from '#functions/ingest/handler.js';
import { RecordingScheduler, startLocalServer } from '#functions/local/server.js';
import { makeHandler as makeReadHandler, type ReadHandler } from '#functions/read/handler.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { AuditList, ReminderList } from '#schemas/responses.js';
import {
  AUTHORITY,
  apiEvent,
  bodyOf,
  envelope,
  freshTable,
  postEvent,
  TEST_SECRET,
} from './support.js';

const NOW = new Date('2026-03-02T12:30:00Z');
const engine = makeCaseEngine(AUTHORITY);
let read: ReadHandler;
let events: ReturnType<typeof makeEventsHandler>;
let scheduler: RecordingScheduler;
let storeRef: DynamoCaseStore;
let directoryRef: DynamoDirectory;
let auditRef: DynamoReminderAudit;
let tableNameRef: string;

/** A joint-working case with every supervision role held (synthetic ids, fake professionals). */
const jointCase = (id: string, caseId: string) => ({
  ...envelope.caseOpened(id, caseId),
  data: {
    team: 'north-assessment',
    jointWithMentalHealth: true,
    workers: [
      { personId: 'P-0001', role: 'team-manager' },
      { personId: 'P-0002', role: 'allocated-worker' },
      { personId: 'P-0003', role: 'supervisor' },
      { personId: 'P-0004', role: 'mh-supervisor' },
      { personId: 'P-0005', role: 'mh-worker' },
    ],
  },
});

const person = (id: string, personId: string, managerId?: string) => ({
  id,
  type: 'person.upserted',
  occurredAt: '2026-03-01T09:00:00Z',
  data: {
    personId,
    name: `Test Professional ${personId}`,
    email: `${personId.toLowerCase()}@example.gov.uk`,
    phone: '+447700900123',
    ...(managerId === undefined ? {} : { managerId }),
  },
});

async function send(body: object): Promise<void> {
  const result = await events(postEvent(JSON.stringify(body)));
  expect(result.statusCode).toBe(202);
}

const getReminders = (caseId: string) =>
  read(
    apiEvent('GET /v1/cases/{caseId}/reminders', `/v1/cases/${caseId}/reminders`, {
      pathParameters: { caseId },
    }),
  );

async function auditOf(caseId: string): Promise<AuditList['entries']> {
  const result = await read(
    apiEvent('GET /v1/cases/{caseId}/audit', `/v1/cases/${caseId}/audit`, {
      pathParameters: { caseId },
    }),
  );
  expect(result.statusCode).toBe(200);
  return AuditList.parse(bodyOf(result)).entries;
}

beforeAll(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'reminders-route');
  const store = new DynamoCaseStore(table.client, table.tableName);
  const directory = new DynamoDirectory(table.client, table.tableName);
  storeRef = store;
  tableNameRef = table.tableName;
  directoryRef = directory;
  auditRef = new DynamoReminderAudit(table.client, table.tableName);
  scheduler = new RecordingScheduler();
  events = makeEventsHandler({
    webhookSecret: TEST_SECRET,
    store,
    directory,
    engine,
    scheduler,
    reminderAudit: auditRef,
    clock: { now: () => NOW },
  });
  read = makeReadHandler({ store, reminders: { calendar: engine.calendar, directory } });
  await send(person('p-1', 'P-0001', 'P-0009'));
  await send(person('p-2', 'P-0002', 'P-0001'));
  await send(person('p-3', 'P-0003', 'P-0001'));
  await send(person('p-4', 'P-0004', 'P-0009'));
  await send(person('p-5', 'P-0005', 'P-0009'));
  await send(person('p-9', 'P-0009'));
});

describe('GET /v1/cases/{caseId}/reminders', () => {
  it('lists a joint supervision’s reminders at the plan’s times, with personIds and roles only', async () => {
    // Arrange: opened Mon 2 Mar 2026 with joint working → joint supervision due in 6 months.
    await send(jointCase('r-open', 'C-1001'));
    // Act
    const result = await getReminders('C-1001');
    // Assess
    expect(result.statusCode).toBe(200);
    const list = ReminderList.parse(bodyOf(result));
    const joint = list.reminders.filter((r) => r.rule === 'joint-supervision');
    // Due Wed 2 Sep 2026 17:00 BST (6 months, close of business). By hand, counting back
    // working days from 2 Sep (Mon 31 Aug is the summer bank holiday): 1 Sep, 28, 27, 26,
    // 25, 24, 21, 20, 19, 18 Aug → the 10th is Tue 18 Aug and the 2nd Fri 28 Aug, at 09:00
    // BST; on the day 2 Sep 09:00; the breach step when the limit (the end of Wed 2 Sep) has
    // passed, at the next opening, Thu 3 Sep 09:00 BST (sent only if it breaches), before the
    // overdue steps of Thu 3 Sep and Fri 4 Sep 09:00.
    expect(joint.map((r) => [r.step, r.fireAt])).toEqual([
      ['b10wd', '2026-08-18T08:00:00.000Z'],
      ['b2wd', '2026-08-28T08:00:00.000Z'],
      ['day', '2026-09-02T08:00:00.000Z'],
      ['breach', '2026-09-03T08:00:00.000Z'],
      ['o1wd', '2026-09-03T08:00:00.000Z'],
      ['o2wd', '2026-09-04T08:00:00.000Z'],
    ]);
    const first = joint[0];
    expect(first).toMatchObject({
      deadlineId: expect.stringContaining('joint-supervision'),
      status: 'planned',
      late: false,
      urgent: false,
      channels: ['email'],
    });
    expect(first?.id).toMatch(/^joint-supervision.*\.b10wd\.[0-9a-z]+$/);
    expect(first?.recipients.map((r) => [r.personId, r.role, r.via])).toEqual([
      ['P-0003', 'supervisor', 'direct'],
      ['P-0004', 'mh-supervisor', 'direct'],
      ['P-0002', 'allocated-worker', 'direct'],
      ['P-0005', 'mh-worker', 'direct'],
    ]);
    expect(first?.unroutable).toEqual([]);
    // Overdue: the first attendee's (the supervisor's) manager, then the head of service.
    expect(joint[4]?.to).toEqual([{ role: 'supervisor', escalate: 1 }]);
    expect(joint[4]?.recipients.map((r) => r.personId)).toEqual(['P-0001']);
    expect(joint[5]?.recipients.map((r) => r.personId)).toEqual(['P-0009']);
    // Never contact details or names in this response.
    expect(result.body).not.toMatch(/@|\+44|Test Professional/);
    // In firing order across deadlines.
    const times = list.reminders.map((r) => r.fireAt);
    expect(times).toEqual([...times].sort());
  });

  it('answers an unknown case with a 404 problem', async () => {
    // Act
    const result = await getReminders('C-9999');
    // Assess
    expect(result.statusCode).toBe(404);
    expect(result.headers['content-type']).toBe('application/problem+json');
    expect(bodyOf(result)).toMatchObject({ status: 404, errors: [{ field: 'caseId' }] });
  });

  it('lists nothing for a closed case', async () => {
    // Arrange
    await send(jointCase('r-open-2', 'C-1002'));
    await send(envelope.closed('r-close-2', 'C-1002'));
    // Act
    const result = await getReminders('C-1002');
    // Assess
    expect(result.statusCode).toBe(200);
    expect(ReminderList.parse(bodyOf(result))).toEqual({ caseId: 'C-1002', reminders: [] });
  });

  it('without a directory, routes to the case’s workers and names what it cannot resolve', async () => {
    // Arrange: the same store, no calendar or directory given (local mode before wiring).
    const bare = makeReadHandler({ store: storeRef });
    // Act
    const result = await bare(
      apiEvent('GET /v1/cases/{caseId}/reminders', '/v1/cases/C-1001/reminders', {
        pathParameters: { caseId: 'C-1001' },
      }),
    );
    // Assess
    expect(result.statusCode).toBe(200);
    const joint = ReminderList.parse(bodyOf(result)).reminders.filter(
      (r) => r.rule === 'joint-supervision',
    );
    expect(joint[0]?.recipients.map((r) => r.personId)).toEqual([
      'P-0003',
      'P-0004',
      'P-0002',
      'P-0005',
    ]);
    expect(joint[4]).toMatchObject({
      recipients: [],
      unroutable: [{ role: 'supervisor', personId: 'P-0003', reason: 'no-manager' }],
    });
  });
});

describe('GET /v1/cases/{caseId}/reminders in local mode', () => {
  it('is routed by the local server', async () => {
    // Arrange
    const server = await startLocalServer({
      port: 0,
      dynamoEndpoint: inject('dynamoEndpoint'),
      tableName: tableNameRef,
      webhookSecret: TEST_SECRET,
      engine,
      clock: { now: () => NOW },
    });
    try {
      // Act
      const response = await fetch(`${server.url}/v1/cases/C-1001/reminders`);
      // Assess
      expect(response.status).toBe(200);
      const list = ReminderList.parse(await response.json());
      expect(list.reminders.some((r) => r.rule === 'joint-supervision')).toBe(true);
    } finally {
      await server.close();
    }
  });
});

describe('reminder lines in the audit trail (webhook path)', () => {
  it('audits planned reminders once, even when the event is redelivered, and cancels on close', async () => {
    // Arrange
    const open = jointCase('a-open', 'C-1003');
    await send(open);
    const planned = (await auditOf('C-1003')).filter((e) => e.kind === 'reminder-planned');
    expect(planned.map((e) => (e.detail as { step: string }).step).sort()).toEqual(
      expect.arrayContaining(['b10wd', 'b2wd', 'day', 'o1wd', 'o2wd']),
    );
    expect(planned[0]).toMatchObject({
      deadlineId: expect.stringContaining('joint-supervision'),
      detail: { timer: expect.stringMatching(/^r\.C-1003\./), fireAt: expect.any(String) },
    });
    // Act: a redelivery re-syncs every timer.
    const calls = scheduler.calls.length;
    await send(open);
    expect(scheduler.calls.length).toBeGreaterThan(calls);
    // Assess: no duplicated line.
    const after = await auditOf('C-1003');
    expect(after.filter((e) => e.kind === 'reminder-planned')).toHaveLength(planned.length);
    // Act: closing the case cancels them.
    await send(envelope.closed('a-close', 'C-1003'));
    // Assess
    const cancelled = (await auditOf('C-1003')).filter((e) => e.kind === 'reminder-cancelled');
    expect(cancelled.map((e) => (e.detail as { timer: string }).timer).sort()).toEqual(
      planned.map((e) => (e.detail as { timer: string }).timer).sort(),
    );
  });

  it('schedules the planned timers on a redelivery after the first delivery could not, auditing each once', async () => {
    // Arrange: the scheduler fails once, after the commit.
    let failures = 1;
    const flaky = new RecordingScheduler();
    const schedule = flaky.schedule.bind(flaky);
    flaky.schedule = async (timers) => {
      if (failures-- > 0) throw new Error('scheduler unavailable');
      return schedule(timers);
    };
    const flakyEvents = makeEventsHandler({
      webhookSecret: TEST_SECRET,
      store: storeRef,
      directory: directoryRef,
      engine,
      scheduler: flaky,
      reminderAudit: auditRef,
      clock: { now: () => NOW },
    });
    const body = JSON.stringify(jointCase('f-open', 'C-1004'));
    expect((await flakyEvents(postEvent(body))).statusCode).toBe(503);
    // The plan was committed with the case (its lines in the trail); no timer is set yet.
    const plannedLines = async () =>
      (await auditOf('C-1004'))
        .filter((e) => e.kind === 'reminder-planned')
        .map((e) => (e.detail as { timer: string }).timer);
    const committed = await plannedLines();
    expect(committed.length).toBeGreaterThanOrEqual(5);
    expect(committed.filter((name) => flaky.timers.has(name))).toEqual([]);
    // Act: the sender delivers again, twice.
    expect((await flakyEvents(postEvent(body))).statusCode).toBe(202);
    expect((await flakyEvents(postEvent(body))).statusCode).toBe(202);
    // Assess: every planned timer is set, and audited exactly once.
    const timers = await plannedLines();
    expect(timers.sort()).toEqual(committed.sort());
    expect(new Set(timers).size).toBe(timers.length);
    expect(timers.filter((name) => !flaky.timers.has(name))).toEqual([]);
  });
});
