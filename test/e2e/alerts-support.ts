/** The local stack of the out-of-hours alert story (see alerts.test.ts) and what its tests read. */
import { expect } from 'vitest';
import type { AuthorityConfig } from '#schemas/authority.js';
import { AlertList } from '#schemas/responses.js';
import { startStack } from './stack.js';

export const EDT_PHONE = '+447700900005';
export const SENIOR_PHONE = '+447700900008';
export const DUTY = { email: 'duty.inbox@example.gov.uk', phone: '+447700900099' };
export const KEY = 'e2e-alert-token-key-0123456789abcdef';

/** One local stack with the story's people, rota and LADO concern, at Friday 16:30 BST. */
export async function story(options: { rules?: unknown } = {}) {
  const stack = await startStack({
    name: 'A',
    authority: (base): AuthorityConfig => ({
      authority: 'Example Council',
      division: 'england-and-wales',
      preset: 'southampton',
      links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}', ackBaseUrl: base },
      fallbackContact: DUTY,
      ...(options.rules === undefined ? {} : { rules: options.rules }),
    }),
    start: '2026-06-05T15:00:00Z',
    alertTokenKey: KEY,
    knownPort: true,
  });
  const { server, base } = stack;
  // The story's tests compare whole answers: status and body.
  const post = async (path: string, body: unknown, signed = false) => {
    const answer = await stack.post(path, body, signed);
    return { status: answer.status, body: answer.body };
  };
  const send = async (type: string, occurredAt: string, caseId: string | null, data: object) => {
    const answer = await stack.send(type, occurredAt, caseId, data);
    expect(answer.status).toBe(202);
    return answer;
  };
  const person = (personId: string, email: string, phone?: string) =>
    send('person.upserted', '2026-06-01T09:00:00Z', null, {
      personId,
      name: `Professional ${personId}`,
      email,
      team: 'north',
      ...(phone ? { phone } : {}),
    });
  await person('P-0002', 'manager.one@example.gov.uk');
  await person('P-0004', 'lado.one@example.gov.uk', '+447700900004');
  await person('P-0005', 'edt.manager.one@example.gov.uk', EDT_PHONE);
  await person('P-0008', 'senior.manager.one@example.gov.uk', SENIOR_PHONE);
  // Friday 17:00 BST to Monday 09:00 BST: the EDT manager (tier 1 by default) and above them
  // the senior manager on call.
  const shift = { from: '2026-06-05T16:00:00Z', to: '2026-06-08T08:00:00Z' };
  await send('rota.shift', '2026-06-01T09:00:00Z', null, { personId: 'P-0005', ...shift });
  await send('rota.shift', '2026-06-01T09:00:00Z', null, { personId: 'P-0008', ...shift, tier: 2 });
  await send('case.opened', '2026-06-05T14:00:00Z', 'C-1001', {
    team: 'north',
    workers: [
      { personId: 'P-0004', role: 'lado' },
      { personId: 'P-0002', role: 'team-manager' },
    ],
  });
  await send('lado.concern-raised', '2026-06-05T15:30:00Z', 'C-1001', { allegationId: 'A-1' });

  const { outbox } = stack;
  return {
    server,
    base,
    post,
    moveClock: async (now: string) =>
      expect((await post('/local/clock', { now })).status).toBe(200),
    outbox,
    texts: async (to: string) => (await outbox()).filter((m) => m.channel === 'sms' && m.to === to),
    getJson: stack.getJson,
    page: async (url: string, method: 'GET' | 'POST' = 'GET') => {
      const response = await fetch(url, { method });
      return { status: response.status, headers: response.headers, html: await response.text() };
    },
    close: stack.close,
  };
}

export type Story = Awaited<ReturnType<typeof story>>;

/** The ack link in a message. */
export function linkIn(text: string, base: string): string {
  const found = new RegExp(`${base.replace(/[.]/g, '\\.')}/a/[A-Za-z0-9_-]+`).exec(text);
  if (found === null) throw new Error(`no ack link in: ${text}`);
  return found[0];
}

export async function openAlerts(s: Story) {
  const { status, body } = await s.getJson('/v1/alerts?status=open');
  expect(status).toBe(200);
  return AlertList.parse(body).alerts;
}

export async function auditKinds(
  s: Story,
): Promise<{ kind: string; detail: Record<string, unknown> }[]> {
  const { body } = await s.getJson('/v1/cases/C-1001/audit');
  return (body as { entries: { kind: string; detail: Record<string, unknown> }[] }).entries;
}
