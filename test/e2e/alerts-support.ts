/** The local stack of the out-of-hours alert story (see alerts.test.ts) and what its tests read. */
import { expect } from 'vitest';
import type { AuthorityConfig } from '#schemas/authority.js';
import { AlertList } from '#schemas/responses.js';
import { AUTHORITY } from '#test/api/support.js';
import { startLadoStory } from './stack.js';

export const EDT_PHONE = '+447700900005';
export const SENIOR_PHONE = '+447700900008';
export const DUTY = { email: 'duty.inbox@example.gov.uk', phone: '+447700900099' };
export const KEY = 'e2e-alert-token-key-0123456789abcdef';

/** One local stack with the story's people, rota and LADO concern, at Friday 16:30 BST. */
export async function story(options: { rules?: unknown } = {}) {
  const stack = await startLadoStory({
    name: 'A',
    authority: (base): AuthorityConfig => ({
      ...AUTHORITY,
      links: { ...AUTHORITY.links, ackBaseUrl: base },
      fallbackContact: DUTY,
      ...(options.rules === undefined ? {} : { rules: options.rules }),
    }),
    alertTokenKey: KEY,
    people: [
      ['P-0002', 'manager.one@example.gov.uk'],
      ['P-0004', 'lado.one@example.gov.uk', '+447700900004'],
      ['P-0005', 'edt.manager.one@example.gov.uk', EDT_PHONE],
      ['P-0008', 'senior.manager.one@example.gov.uk', SENIOR_PHONE],
    ],
    // The EDT manager (tier 1 by default) and above them the senior manager on call.
    onCall: [{ personId: 'P-0005' }, { personId: 'P-0008', tier: 2 }],
  });
  const { server, base, outbox } = stack;
  // The story's tests compare whole answers: status and body.
  const post = async (path: string, body: unknown, signed = false) => {
    const answer = await stack.post(path, body, signed);
    return { status: answer.status, body: answer.body };
  };
  return {
    server,
    base,
    post,
    moveClock: stack.moveClock,
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
