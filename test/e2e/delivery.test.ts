/**
 * Delivered, not just sent: local mode over HTTP, with each provider's stand-ins — `aws` (SES
 * and SMS, whose events feed the delivery path) and GOV.UK Notify (its stand-in posts receipts
 * to POST /v1/notify/delivery-receipts with its bearer token). Both fail Notify's test
 * addresses the same way: perm-fail@simulator.notify and 07700900002 permanent-failure.
 *
 * A LADO concern raised on Friday 5 June 2026 at 16:30 BST: its 50% alert goes to the EDT
 * manager on call at Saturday 04:30 BST (out of hours), by SMS and email. Nobody is on tier 2.
 *
 * (a) The EDT manager's phone and email both fail: within that one move of the clock the duty
 *     inbox is told the step reached nobody (and, the alert escalating at once, asked to
 *     acknowledge it), the reminder is listed as unrouted with the reason, and the case page
 *     says why in plain words.
 * (b) The EDT manager's messages are delivered, and a received "YES" acknowledges the alert.
 * (c) The day team's manager's address bounces: Monday's morning digest reaches the duty inbox
 *     within the move of the clock that sent it, listed as reaching nobody, the case page saying why.
 * (d) The same for a team manager the directory alone knows (the case names none).
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthorityConfig } from '#schemas/authority.js';
import { ReminderList, UnroutedList } from '#schemas/responses.js';
import { AUTHORITY } from '#test/api/support.js';
import { Session } from '#test/web/support.js';
import { startLadoStory } from './stack.js';

// The service runs in this process: its log lines (every send and receipt) would fill the
// test run's output; what they say is asserted through the outbox, the API and the pages. The
// level is the logger's initial one (set before it is made): each invocation resets to it.
vi.hoisted(() => {
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
});

const DUTY = 'duty.inbox@example.gov.uk';
const KEY = 'e2e-delivery-token-key-0123456789abcdef';
const BOUNCES = 'perm-fail@simulator.notify';
const NOT_IN_USE = '+447700900002';
const EDT_PHONE = '+447700900005';

/** One local stack for `messaging`, with the EDT manager's and the team manager's addresses. */
async function story(
  messaging: 'aws' | 'notify',
  edt: { email: string; phone: string },
  managerEmail: string,
  teamManager: 'on the case' | 'in the directory' = 'on the case',
) {
  const stack = await startLadoStory({
    teamManager,
    name: `D-${messaging}`,
    authority: (base): AuthorityConfig => ({
      ...AUTHORITY,
      links: { caseUrlTemplate: `${base}/app/cases/{caseId}`, ackBaseUrl: base },
      fallbackContact: { email: DUTY },
    }),
    alertTokenKey: KEY,
    messaging,
    people: [
      ['P-0002', managerEmail],
      ['P-0004', 'lado.one@example.gov.uk'],
      ['P-0005', edt.email, edt.phone],
    ],
    onCall: [{ personId: 'P-0005' }],
  });
  return {
    base: stack.base,
    post: stack.post,
    moveClock: stack.moveClock,
    outbox: stack.outbox,
    getJson: async (path: string) => (await stack.getJson(path)).body,
    close: stack.close,
  };
}

/**
 * Monday 09:00 BST: the team manager's digest goes to the address that bounces; what the duty
 * inbox then got (one "UNDELIVERED" message is asserted here).
 */
async function mondaysDigestBounced(s: Awaited<ReturnType<typeof story>>) {
  await s.moveClock('2026-06-08T08:01:00Z');
  const outbox = await s.outbox();
  const digest = outbox.filter((m) => m.rule === 'digest' && m.to === BOUNCES);
  expect(digest.map((m) => m.delivery)).toEqual(['permanent-failure']);
  const duty = outbox.filter((m) => m.to === DUTY && m.subject?.startsWith('UNDELIVERED: '));
  expect(duty).toHaveLength(1);
  return duty;
}

describe.each(['aws', 'notify'] as const)('with the %s provider', (messaging) => {
  describe('(a) an out-of-hours alert whose phone and email both fail', () => {
    let s: Awaited<ReturnType<typeof story>>;
    beforeAll(async () => {
      s = await story(
        messaging,
        { email: BOUNCES, phone: NOT_IN_USE },
        'manager.one@example.gov.uk',
      );
      // One move of the clock: Saturday 04:31 BST, a minute after the 50% alert.
      await s.moveClock('2026-06-06T03:31:00Z');
    });
    afterAll(async () => {
      await s?.close();
    });

    it('shows both messages to the EDT manager as not delivered in the outbox', async () => {
      const edt = (await s.outbox()).filter((m) => m.to === BOUNCES || m.to === NOT_IN_USE);
      expect(edt.map((m) => [m.channel, m.delivery]).sort()).toEqual([
        ['email', 'permanent-failure'],
        ['sms', 'permanent-failure'],
      ]);
    });

    it('tells the duty inbox within that move of the clock, saying why', async () => {
      const duty = (await s.outbox()).filter((m) => m.to === DUTY);
      const unrouted = duty.filter((m) => m.subject?.startsWith('UNROUTED: '));
      expect(unrouted).toHaveLength(1);
      expect(unrouted[0]?.body).toContain(
        'The EDT manager on call (P-0005) was not reached: text message not delivered: the phone number is not in use',
      );
      // Whom to ask, in a manager's words: no event type
      expect(unrouted[0]?.body).toContain(
        'Ask the case system to check the mobile number and email address of P-0005',
      );
      expect(unrouted[0]?.body).not.toContain('person.upserted');
      // The alert escalated at once (nobody on tier 2): the duty inbox may acknowledge it.
      expect(duty.some((m) => m.subject?.startsWith('NOT ACKNOWLEDGED: '))).toBe(true);
      expect(duty.every((m) => m.sentAt.startsWith('2026-06-06T03:30'))).toBe(true);
    });

    it('lists the reminder as reaching nobody, with the reason', async () => {
      const list = UnroutedList.parse(await s.getJson('/v1/reminders/unrouted'));
      const mine = list.reminders.filter((r) => r.reminderId.includes('.p50.'));
      expect(mine).toHaveLength(1);
      expect(mine[0]?.missing).toEqual(
        expect.arrayContaining([
          {
            reason: 'undelivered',
            personId: 'P-0005',
            channel: 'sms',
            delivery: 'permanent-failure',
          },
          {
            reason: 'undelivered',
            personId: 'P-0005',
            channel: 'email',
            delivery: 'permanent-failure',
          },
        ]),
      );
      expect(mine[0]?.fallback).toBe('sent');
    });

    it('says so in GET /v1/cases/{caseId}/reminders, each send with its delivery', async () => {
      const { reminders } = ReminderList.parse(await s.getJson('/v1/cases/C-1001/reminders'));
      const p50 = reminders.find((r) => r.step === 'p50');
      expect(p50?.status).toBe('unrouted');
      const edt = p50?.sends.filter((x) => x.personId === 'P-0005');
      expect(edt?.map((x) => [x.channel, x.delivery.state, x.delivery.words]).sort()).toEqual([
        [
          'email',
          'permanent-failure',
          'Not delivered: the email address does not exist or refuses our email',
        ],
        ['sms', 'permanent-failure', 'Not delivered: the phone number is not in use'],
      ]);
    });

    it('the case page says why in plain words', async () => {
      const page = await (await new Session(s.base).signIn('P-0005')).get('/app/cases/C-1001');
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain('the phone number is not in use');
      expect(html).toContain('Nobody on the step was reached: the duty inbox was told at once');
    });
  });

  describe('(b) a delivered alert, and (c) a digest to a bounced address', () => {
    let s: Awaited<ReturnType<typeof story>>;
    beforeAll(async () => {
      s = await story(messaging, { email: 'edt.one@example.gov.uk', phone: EDT_PHONE }, BOUNCES);
      await s.moveClock('2026-06-06T03:31:00Z');
    });
    afterAll(async () => {
      await s?.close();
    });

    it('(b) the EDT manager’s messages are delivered, and a received YES acknowledges', async () => {
      const edt = (await s.outbox()).filter((m) => m.to === EDT_PHONE);
      expect(edt.map((m) => m.delivery)).toEqual(['delivered']);
      const reply = await s.post('/local/sms-inbound', { from: EDT_PHONE, body: 'yes, on it' });
      expect(reply.body.status).toBe('acknowledged');
      const open = (await s.getJson('/v1/alerts?status=open')) as { alerts: unknown[] };
      expect(open.alerts).toEqual([]);
    });

    it('(c) Monday’s digest bounces: the duty inbox has it within that move of the clock, listed and explained', async () => {
      const duty = await mondaysDigestBounced(s);
      expect(duty[0]?.subject).toContain('EDT alerts for north');
      // Who was not reached and why, then whom to ask, each said once
      expect(duty[0]?.body).toContain(
        'P-0002 was not reached: email not delivered: the email address does not exist or refuses our email. This digest comes to the service’s duty inbox instead. Ask the case system to check the email address of P-0002.',
      );
      expect(duty[0]?.sentAt.startsWith('2026-06-08T08:00')).toBe(true);
      const list = UnroutedList.parse(await s.getJson('/v1/reminders/unrouted'));
      expect(list.reminders.filter((r) => r.step === 'digest').map((r) => r.caseId)).toEqual([
        'C-1001',
      ]);
      const page = await (await new Session(s.base).signIn('P-0005')).get('/app/cases/C-1001');
      const html = await page.text();
      // The tag says "Not delivered"; the words after it say what and why, once
      expect(html).toContain(
        'The morning digest: the email address does not exist or refuses our email',
      );
      expect(html).not.toContain('The morning digest was not delivered');
    });
  });
});

describe('(d) a digest to a team manager the directory alone knows, bounced', () => {
  let s: Awaited<ReturnType<typeof story>>;
  beforeAll(async () => {
    // The case names no team manager: the digest goes to the manager of the team's people.
    s = await story(
      'aws',
      { email: 'edt.one@example.gov.uk', phone: EDT_PHONE },
      BOUNCES,
      'in the directory',
    );
    await s.moveClock('2026-06-06T03:31:00Z');
  });
  afterAll(async () => {
    await s?.close();
  });

  it('reaches the duty inbox with the clocks it carried, as a case’s own manager’s would', async () => {
    const duty = await mondaysDigestBounced(s);
    expect(duty[0]?.body).toContain('P-0002 was not reached: email not delivered');
    // The digest's own line for the clock it carried, forwarded whole
    expect(duty[0]?.body).toContain('C-1001: LADO notification — ');
    expect(duty[0]?.body).toContain('EDT alerted: ');
  });
});
