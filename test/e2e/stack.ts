/**
 * One local stack for an end-to-end story, in this process: its own table on the run's DynamoDB
 * Local, the local reminders (timer driver, simulated clock, messaging stand-ins) and the server
 * `npm start` runs — and the calls a back-office sender makes to it.
 */
import { expect, inject } from 'vitest';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { freePort } from '#functions/local/standins.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { signWebhook } from '#platform/webhook.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { freshTable, TEST_SECRET } from '#test/api/support.js';

export interface StackOptions {
  /** In the table's name and the events' ids. */
  name: string;
  /** The authority; a function when its links must point at the server (`base`). */
  authority: AuthorityConfig | ((base: string) => AuthorityConfig);
  /** Where the simulated clock starts. */
  start: string;
  /** Ack links signed with this key. @default the local development key */
  alertTokenKey?: string;
  /** The messaging provider, with its receipts routed back to the server. @default aws */
  messaging?: 'aws' | 'notify';
  /** Serve on a port known before the start (ack links and Notify's callbacks name it). */
  knownPort?: boolean;
}

export async function startStack(options: StackOptions) {
  const endpoint = inject('dynamoEndpoint');
  const { client, tableName } = await freshTable(endpoint, `e2e-${options.name}`);
  const port = options.knownPort === true ? await freePort() : 0;
  const base = `http://127.0.0.1:${port}`;
  const authority =
    typeof options.authority === 'function' ? options.authority(base) : options.authority;
  const key = options.alertTokenKey === undefined ? {} : { alertTokenKey: options.alertTokenKey };
  const reminders = makeLocalReminders({
    client,
    tableName,
    authority,
    sesEndpoint: inject('sesEndpoint'),
    start: new Date(options.start),
    ...key,
    ...(options.messaging === undefined ? {} : { messaging: options.messaging, serverUrl: base }),
  });
  const server: LocalServer = await startLocalServer({
    port,
    dynamoEndpoint: endpoint,
    tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(authority),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    ...(options.messaging === undefined ? {} : { delivery: reminders.delivery }),
    authority,
    ...key,
  });
  const post = async (path: string, body: unknown, signed = false) => {
    const text = JSON.stringify(body);
    const response = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(signed ? signWebhook(TEST_SECRET, text, { at: new Date() }) : {}),
      },
      body: text,
    });
    const raw = await response.text();
    return { status: response.status, raw, body: JSON.parse(raw) as Record<string, unknown> };
  };
  let events = 0;
  const event = (type: string, occurredAt: string, caseId: string | null, data: object) => ({
    id: `E2E-${options.name}-${++events}`,
    type,
    occurredAt,
    ...(caseId ? { caseId } : {}),
    data,
  });
  const getJson = async (path: string) => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as unknown };
  };
  const send = (type: string, occurredAt: string, caseId: string | null, data: object) =>
    post('/v1/events', event(type, occurredAt, caseId, data), true);
  return {
    server,
    reminders,
    base,
    post,
    event,
    /** An event, signed and posted as a back-office system would. */
    send,
    /** An obviously fake professional of team north into the directory at `occurredAt`. */
    person: (
      occurredAt: string,
      p: { personId: string; email: string; phone?: string; managerId?: string },
    ) =>
      send('person.upserted', occurredAt, null, {
        personId: p.personId,
        name: `Professional ${p.personId}`,
        email: p.email,
        team: 'north',
        ...(p.phone ? { phone: p.phone } : {}),
        ...(p.managerId ? { managerId: p.managerId } : {}),
      }),
    getJson,
    outbox: async () => (await getJson('/local/outbox')).body as OutboxEntry[],
    close: async () => {
      await reminders.stop();
      await server.close();
    },
  };
}

/** A professional the back office names: their id, email and, if they have one, mobile. */
export type StoryPerson = [personId: string, email: string, phone?: string];

export interface LadoStoryOptions extends Omit<StackOptions, 'start' | 'knownPort'> {
  /** The professionals, each in team north. */
  people: StoryPerson[];
  /** Who is on call from Friday 17:00 BST to Monday 09:00 BST, and at which tier (1 unless said). */
  onCall: { personId: string; tier?: number }[];
  /**
   * Where the team manager (P-0002) is known from: named on the case (the default), or only
   * as the manager of the team's people in the directory.
   */
  teamManager?: 'on the case' | 'in the directory';
}

/**
 * One local stack, on a known port, with a LADO concern raised on Friday 5 June 2026 at 16:30
 * BST (the clock starting at 16:00): the people, the weekend's rota, case C-1001 opened with the
 * LADO (P-0004) and the team manager (P-0002, unless `teamManager` says the directory alone
 * knows them), every event accepted (202).
 */
export async function startLadoStory({
  people,
  onCall,
  teamManager = 'on the case',
  ...options
}: LadoStoryOptions) {
  const stack = await startStack({ ...options, start: '2026-06-05T15:00:00Z', knownPort: true });
  const send = async (type: string, occurredAt: string, caseId: string | null, data: object) => {
    const answer = await stack.send(type, occurredAt, caseId, data);
    expect(answer.status).toBe(202);
    return answer;
  };
  for (const [personId, email, phone] of people) {
    const managerId =
      teamManager === 'in the directory' && personId !== 'P-0002' ? 'P-0002' : undefined;
    const answer = await stack.person('2026-06-01T09:00:00Z', {
      personId,
      email,
      ...(phone ? { phone } : {}),
      ...(managerId ? { managerId } : {}),
    });
    expect(answer.status).toBe(202);
  }
  const shift = { from: '2026-06-05T16:00:00Z', to: '2026-06-08T08:00:00Z' };
  for (const { personId, tier } of onCall)
    await send('rota.shift', '2026-06-01T09:00:00Z', null, {
      personId,
      ...shift,
      ...(tier === undefined ? {} : { tier }),
    });
  await send('case.opened', '2026-06-05T14:00:00Z', 'C-1001', {
    team: 'north',
    workers: [
      { personId: 'P-0004', role: 'lado' },
      ...(teamManager === 'on the case' ? [{ personId: 'P-0002', role: 'team-manager' }] : []),
    ],
  });
  await send('lado.concern-raised', '2026-06-05T15:30:00Z', 'C-1001', { allegationId: 'A-1' });
  return {
    ...stack,
    moveClock: async (now: string) =>
      expect((await stack.post('/local/clock', { now })).status).toBe(200),
  };
}
