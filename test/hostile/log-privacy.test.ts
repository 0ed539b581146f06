/**
 * Logs carry ids, never contact details (docs/domain.md, Privacy). Everything the handlers write
 * to stdout/stderr (the Powertools logger) is captured while a realistic sequence runs:
 * people with names, emails and phones, refused requests that carry them, a LADO concern
 * whose reminders go to the EDT manager by SMS and email, a failing channel. No line may
 * hold an email address, a phone number, or a name from the directory.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { makeHandler } from '#functions/ingest/handler.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { logger } from '#platform/logger.js';
import { AUTHORITY, freshTable, postEvent, TEST_SECRET } from '#test/api/support.js';

const PEOPLE = [
  {
    personId: 'P-0002',
    name: 'Manager One',
    email: 'manager.one@example.gov.uk',
    phone: '+447700900123',
  },
  {
    personId: 'P-0004',
    name: 'Lado Officer One',
    email: 'lado.one@example.gov.uk',
    phone: '+447700900124',
  },
  {
    personId: 'P-0005',
    name: 'Edt Manager One',
    email: 'edt.manager.one@example.gov.uk',
    phone: '+447700900125',
  },
  {
    personId: 'P-0007',
    name: 'Delegate Person One',
    email: 'delegate.one@example.gov.uk',
    phone: '+447700900126',
  },
];

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/;
const E164 = /\+[1-9]\d{7,14}/;
const UK_MOBILE = /\b07\d{3}\s?\d{6}\b/;

const lines: string[] = [];
const restore: (() => void)[] = [];

function capture(stream: NodeJS.WriteStream) {
  const original = stream.write;
  // Kept, not echoed: the test output stays readable.
  stream.write = ((chunk: unknown) => {
    lines.push(
      ...String(chunk)
        .split('\n')
        .filter((l) => l.length > 0),
    );
    return true;
  }) as typeof stream.write;
  restore.push(() => {
    stream.write = original;
  });
}

function captureConsole() {
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const) {
    const original = console[method];
    console[method] = (...args: unknown[]) => {
      lines.push(args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
    restore.push(() => {
      console[method] = original;
    });
  }
}

let outboxSize = 0;

beforeAll(async () => {
  // Prepare: log everything (the shared test support silences the logger), and capture it.
  logger.setLogLevel('DEBUG');
  capture(process.stdout);
  capture(process.stderr);
  captureConsole();

  const table = await freshTable(inject('dynamoEndpoint'), 'hostile-logs');
  const forward = {
    info: (message: string, fields?: Record<string, unknown>) =>
      logger.info({ message, ...fields }),
    warn: (message: string, fields?: Record<string, unknown>) =>
      logger.warn({ message, ...fields }),
    error: (message: string, fields?: Record<string, unknown>) =>
      logger.error({ message, ...fields }),
  };
  // Friday 22 May 2026 16:00 BST; Monday 25 May is the Spring bank holiday.
  const reminders = makeLocalReminders({
    client: table.client,
    tableName: table.tableName,
    authority: AUTHORITY,
    sesEndpoint: inject('sesEndpoint'),
    start: new Date('2026-05-22T15:00:00Z'),
    log: forward,
  });
  const events = makeHandler({
    webhookSecret: TEST_SECRET,
    store: new DynamoCaseStore(table.client, table.tableName),
    directory: new DynamoDirectory(table.client, table.tableName),
    engine: makeCaseEngine(AUTHORITY),
    scheduler: reminders.driver,
    clock: reminders.clock,
  });
  let n = 0;
  const send = (event: Record<string, unknown>, options: Parameters<typeof postEvent>[1] = {}) =>
    events(postEvent(JSON.stringify({ id: `L-${++n}`, ...event }), options));

  // Act: the directory, with names, emails and phones.
  for (const p of PEOPLE) {
    const { personId, ...rest } = p;
    await send({
      type: 'person.upserted',
      occurredAt: '2026-05-22T14:00:00Z',
      data: { personId, ...rest, team: 'north' },
    });
  }
  await send({
    type: 'rota.shift',
    occurredAt: '2026-05-22T14:00:00Z',
    data: { personId: 'P-0005', from: '2026-05-22T16:00:00Z', to: '2026-05-26T08:00:00Z' },
  });
  await send({
    type: 'person.away',
    occurredAt: '2026-05-22T14:00:00Z',
    data: {
      personId: 'P-0002',
      from: '2026-05-22T14:00:00Z',
      to: '2026-05-29T16:00:00Z',
      delegateId: 'P-0007',
    },
  });
  // Refusals whose bodies carry contact details: invalid, conflicting, unsigned, wrong type.
  await send({
    type: 'person.upserted',
    occurredAt: '2026-05-22T14:00:00Z',
    data: {
      personId: 'P-0008',
      name: 'Manager One',
      email: 'not-an-email manager.one@example.gov.uk',
      phone: '07700 900123',
    },
  });
  await events(
    postEvent(
      JSON.stringify({
        id: 'L-1',
        type: 'person.upserted',
        occurredAt: '2026-05-22T14:00:00Z',
        data: { personId: 'P-0002', name: 'Manager One', email: 'other.one@example.gov.uk' },
      }),
    ),
  );
  await send(
    { type: 'person.upserted', data: { name: 'Manager One', email: 'manager.one@example.gov.uk' } },
    { unsigned: true },
  );
  await send(
    { type: 'person.upserted', data: { name: 'Manager One' } },
    { contentType: 'text/plain' },
  );
  await events(postEvent('{"name":"Manager One","email":"manager.one@example.gov.uk",'));
  // A case with a LADO concern on Friday 16:30 BST: due Saturday 16:30, reminders out of hours.
  await send({
    type: 'case.opened',
    occurredAt: '2026-05-22T14:30:00Z',
    caseId: 'C-1001',
    data: {
      team: 'north',
      workers: [
        { personId: 'P-0002', role: 'team-manager' },
        { personId: 'P-0004', role: 'lado' },
      ],
    },
  });
  await send({
    type: 'lado.concern-raised',
    occurredAt: '2026-05-22T15:30:00Z',
    caseId: 'C-1001',
    data: { allegationId: 'A-1' },
  });
  await send({
    type: 'disagreement.raised',
    occurredAt: '2026-05-22T15:40:00Z',
    caseId: 'C-1001',
    data: { disagreementId: 'D-1' },
  });
  // An event the engine refuses (unknown allegation).
  await send({
    type: 'lado.notified',
    occurredAt: '2026-05-22T15:45:00Z',
    caseId: 'C-1001',
    data: { allegationId: 'A-404' },
  });
  // Through the bank-holiday weekend to Tuesday 10:00 BST: EDT alerts, digest, escalations.
  await reminders.driver.advanceTo(new Date('2026-05-26T09:00:00Z'));
  outboxSize = (JSON.parse((await reminders.routes.getOutbox()).body) as unknown[]).length;
  await reminders.stop();
}, 60_000);

afterAll(() => {
  for (const undo of restore.reverse()) undo();
  logger.setLogLevel('SILENT');
});

describe('log privacy', () => {
  it('captured the handlers’ logs while reminders went out', () => {
    // Assess: the test saw real traffic, or it proves nothing.
    expect(outboxSize).toBeGreaterThan(0);
    expect(lines.length).toBeGreaterThan(10);
    expect(lines.some((l) => l.includes('"reminder sent"') || l.includes('reminder sent'))).toBe(
      true,
    );
    expect(lines.some((l) => l.includes('request rejected'))).toBe(true);
  });

  it('no log line holds an email address, a phone number or a name from the directory', () => {
    // Assess
    const leaks = lines.filter(
      (line) =>
        EMAIL.test(line) ||
        E164.test(line) ||
        UK_MOBILE.test(line) ||
        PEOPLE.some(
          (p) => line.includes(p.name) || line.includes(p.email) || line.includes(p.phone),
        ),
    );
    expect(leaks).toEqual([]);
  });
});
