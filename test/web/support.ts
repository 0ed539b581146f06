/**
 * A local-mode server with the managers' pages and a seeded authority, for the page tests
 * and the browser tests: the real handlers on DynamoDB Local and aws-ses-v2-local, the
 * local timer driver and a simulated clock moved to Wednesday 9 June 2027 10:00 BST, so
 * the clocks that fell due by then have fired (breaches included).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';
import { AUTHORITY, TEST_SECRET } from '#test/api/support.js';

/** Wednesday 9 June 2027, 10:00 BST. */
export const NOW = '2027-06-09T09:00:00Z';

let n = 0;
const person = (personId: string, name: string, extra: Record<string, string> = {}) => ({
  type: 'person.upserted',
  data: {
    personId,
    name,
    email: `${name.toLowerCase().replaceAll(' ', '.')}@example.gov.uk`,
    ...extra,
  },
});

/** The directory: a head of service over two team managers, their workers, a LADO, the EDT. */
export const PEOPLE = [
  person('P-0001', 'Head One', { team: 'management' }),
  person('P-0100', 'Manager North', { team: 'north', managerId: 'P-0001' }),
  person('P-0101', 'Worker North', { team: 'north', managerId: 'P-0100' }),
  person('P-0102', 'Lado One', { team: 'north', managerId: 'P-0100' }),
  person('P-0200', 'Manager South', { team: 'south', managerId: 'P-0001' }),
  person('P-0201', 'Worker South', { team: 'south', managerId: 'P-0200' }),
  person('P-0300', 'Edt Manager One', { phone: '+447700900300' }),
  // In the directory, with no role and on no case.
  person('P-0400', 'Visitor One', { team: 'east' }),
];

const caseEvent = (caseId: string, type: string, occurredAt: string, data: object = {}) => ({
  type,
  caseId,
  occurredAt,
  data,
});

const northWorkers = [
  { personId: 'P-0100', role: 'team-manager' },
  { personId: 'P-0101', role: 'allocated-worker' },
  { personId: 'P-0102', role: 'lado' },
];

/** Every event of the scenario, in order (ids are added when sent). */
export const EVENTS = [
  ...PEOPLE.map((p) => ({ ...p, occurredAt: '2027-05-31T08:00:00Z' })),
  {
    type: 'person.away',
    occurredAt: '2027-05-31T08:00:00Z',
    data: {
      personId: 'P-0101',
      from: '2027-06-08T07:00:00Z',
      to: '2027-06-18T16:00:00Z',
      delegateId: 'P-0100',
    },
  },
  {
    type: 'rota.shift',
    occurredAt: '2027-05-31T08:00:00Z',
    data: { personId: 'P-0300', from: '2027-06-09T16:00:00Z', to: '2027-06-10T08:00:00Z' },
  },
  // C-5001 (north): a concern due at 09:00 BST today, not notified (breached when the clock
  // moves), and a disagreement raised this morning, due Friday 11 June 17:00.
  caseEvent('C-5001', 'case.opened', '2027-06-01T08:00:00Z', {
    team: 'north',
    workers: northWorkers,
  }),
  caseEvent('C-5001', 'lado.concern-raised', '2027-06-08T08:00:00Z', { allegationId: 'A-1' }),
  caseEvent('C-5001', 'disagreement.raised', '2027-06-09T08:30:00Z', { disagreementId: 'D-1' }),
  // C-5002 (north): co-working reviewed weekly, first review due Wednesday 16 June (next week).
  caseEvent('C-5002', 'case.opened', '2027-06-01T08:00:00Z', {
    team: 'north',
    workers: northWorkers,
  }),
  caseEvent('C-5002', 'coworking.started', '2027-06-09T08:00:00Z', { reviewEveryWeeks: 1 }),
  // C-5003 (north): four concerns raised 1–4 June at 10:00 BST; three notified in time.
  caseEvent('C-5003', 'case.opened', '2027-06-01T08:00:00Z', {
    team: 'north',
    workers: northWorkers,
  }),
  caseEvent('C-5003', 'lado.concern-raised', '2027-06-01T09:00:00Z', { allegationId: 'A-1' }),
  caseEvent('C-5003', 'lado.concern-raised', '2027-06-02T09:00:00Z', { allegationId: 'A-2' }),
  caseEvent('C-5003', 'lado.concern-raised', '2027-06-03T09:00:00Z', { allegationId: 'A-3' }),
  caseEvent('C-5003', 'lado.concern-raised', '2027-06-04T09:00:00Z', { allegationId: 'A-4' }),
  caseEvent('C-5003', 'lado.notified', '2027-06-01T15:00:00Z', { allegationId: 'A-1' }),
  caseEvent('C-5003', 'lado.notified', '2027-06-03T08:00:00Z', { allegationId: 'A-2' }),
  caseEvent('C-5003', 'lado.notified', '2027-06-03T12:00:00Z', { allegationId: 'A-3' }),
  // C-5004 (north): a concern on a case with no LADO: its reminders reach nobody.
  caseEvent('C-5004', 'case.opened', '2027-06-01T08:00:00Z', {
    team: 'north',
    workers: [{ personId: 'P-0101', role: 'allocated-worker' }],
  }),
  caseEvent('C-5004', 'lado.concern-raised', '2027-06-08T12:00:00Z', { allegationId: 'A-1' }),
  // C-6001 (south): a concern raised this morning, due tomorrow 08:00 BST.
  caseEvent('C-6001', 'case.opened', '2027-06-01T08:00:00Z', {
    team: 'south',
    workers: [
      { personId: 'P-0200', role: 'team-manager' },
      { personId: 'P-0201', role: 'allocated-worker' },
    ],
  }),
  caseEvent('C-6001', 'lado.concern-raised', '2027-06-09T07:00:00Z', { allegationId: 'A-1' }),
  // …and a referral decided that afternoon with no further action: no assessment is owed.
  caseEvent('C-6001', 'referral.received', '2027-06-07T09:00:00Z', { referralId: 'R-1' }),
  caseEvent('C-6001', 'referral.decided', '2027-06-07T13:00:00Z', {
    referralId: 'R-1',
    outcome: 'no-further-action',
  }),
].map((e) => ({ id: `web-${n++}`, ...e }));

export interface Scenario {
  url: string;
  server: LocalServer;
  close(): Promise<void>;
}

/** Starts the server, sends the scenario's events and moves the clock to `NOW`. */
export async function startScenario(
  dynamoEndpoint: string,
  sesEndpoint: string,
): Promise<Scenario> {
  const tableName = `web-${process.pid}-${Date.now()}`;
  await createTable(new DynamoDBClient({ endpoint: dynamoEndpoint }), tableName);
  const client = makeDocumentClient({ endpoint: dynamoEndpoint });
  const reminders = makeLocalReminders({
    client,
    tableName,
    authority: AUTHORITY,
    sesEndpoint,
    start: new Date('2027-05-31T09:00:00Z'),
  });
  const server = await startLocalServer({
    port: 0,
    dynamoEndpoint,
    tableName,
    webhookSecret: TEST_SECRET,
    engine: makeCaseEngine(AUTHORITY),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    authority: { ...AUTHORITY, authority: 'Example Borough Council' },
    env: {},
  });
  for (const event of EVENTS) {
    const body = JSON.stringify(event);
    const answer = await fetch(`${server.url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook(TEST_SECRET, body) },
      body,
    });
    if (answer.status !== 202)
      throw new Error(`${event.id}: ${answer.status} ${await answer.text()}`);
  }
  const moved = await fetch(`${server.url}/local/clock`, {
    method: 'POST',
    body: JSON.stringify({ now: NOW }),
  });
  if (moved.status !== 200) throw new Error(`clock: ${moved.status} ${await moved.text()}`);
  return {
    url: server.url,
    server,
    close: async () => {
      await server.close();
      await reminders.stop();
    },
  };
}

/** A browser-like client: keeps cookies, follows no redirects by itself. */
export class Session {
  private readonly cookies = new Map<string, string>();

  constructor(readonly base: string) {}

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.keep(
      await fetch(`${this.base}${path}`, {
        redirect: 'manual',
        headers: { ...this.header(), ...headers },
      }),
    );
  }

  async post(path: string, form: Record<string, string>): Promise<Response> {
    return this.keep(
      await fetch(`${this.base}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...this.header() },
        body: new URLSearchParams(form).toString(),
      }),
    );
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  /** Signs in as `personId` through the local sign-in page, as a person would. */
  async signIn(personId: string): Promise<this> {
    const page = await (await this.get('/app/sign-in')).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1];
    const answer = await this.post('/app/sign-in', { personId, csrf: csrf ?? '', next: '/app' });
    if (answer.status !== 303) throw new Error(`sign-in as ${personId}: ${answer.status}`);
    return this;
  }

  private header(): Record<string, string> {
    if (this.cookies.size === 0) return {};
    return { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
  }

  private keep(response: Response): Response {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const at = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, at);
      const value = (pair ?? '').slice(at + 1);
      if (/Max-Age=0/.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }
}

/** A page's visible text: no markup, scripts or hidden form values; entities decoded. */
export function visibleText(html: string): string {
  return html
    .replace(/<(script|style|head)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replaceAll('&nbsp;', ' ')
    .replaceAll('&amp;', '&')
    .replaceAll('&#39;', "'")
    .replaceAll('&quot;', '"')
    .replace(/\s+/g, ' ');
}

/** Codes a person should never read on a page: step keys, role and rule ids, audit kinds, reasons. */
export const INTERNAL_CODES =
  /\b(p50|p75|br[0-9]+|be[0-9]+|esc2b?|escfb?|b[0-9]+wd|o[0-9]wd|xinv|team-manager|allocated-worker|head-of-service|lado-notification|lado-response|reminder-[a-z]+|alert-[a-z]+|no-manager|no-worker-in-role|out-of-hours-edt|no-tier-2-on-call)\b/;

/** An ISO-8601 instant as the data holds it (pages write times in words). */
export const ISO_INSTANT = /\d{4}-\d\d-\d\dT\d\d:\d\d/;
