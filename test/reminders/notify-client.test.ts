/**
 * The contract between local mode's GOV.UK Notify stand-in and Notify itself, as its official
 * client (`notifications-node-client`, the same package the reminders function sends with)
 * sees it: the client signs each request with a JWT made from the API key, calls the v2
 * endpoints and reads their answers. If the stand-in drifted from what the client sends or
 * expects, these fail — a hand-written client would only agree with itself. The receipts the
 * stand-in posts are checked against the schema our callback reads.
 */
import { NotifyClient } from 'notifications-node-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CallbackSink,
  type NotifyStandIn,
  startNotifyStandIn,
} from '#functions/local/notify-standin.js';
import { NotifyDeliveryReceipt, NotifyReceivedText } from '#schemas/notify.js';

const EMAIL_TEMPLATE = '00000000-0000-4000-8000-0000000000e1';
const SMS_TEMPLATE = '00000000-0000-4000-8000-0000000000a1';
const TOKEN = 'callback-token-for-tests-0123456789';

let standIn: NotifyStandIn;
let client: NotifyClient;
const posted: { kind: string; body: unknown; bearer: string }[] = [];

const sink: CallbackSink = async (kind, body, bearer) => {
  posted.push({ kind, body, bearer });
  return { status: 202, body: {} };
};

/** The client's error for a refused request: axios's, with Notify's body. */
async function refusal(work: Promise<unknown>): Promise<{ status: number; data: unknown }> {
  try {
    await work;
  } catch (error) {
    const { response } = error as { response?: { status: number; data: unknown } };
    if (response !== undefined) return response;
    throw error;
  }
  throw new Error('the request was not refused');
}

beforeAll(async () => {
  standIn = await startNotifyStandIn({
    emailTemplateId: EMAIL_TEMPLATE,
    smsTemplateId: SMS_TEMPLATE,
    rateLimit: 12,
    callbacks: { token: TOKEN, sink },
  });
  client = new NotifyClient(standIn.url, standIn.apiKey);
});

afterAll(async () => {
  await standIn.stop();
});

describe('notifications-node-client against the local Notify stand-in', () => {
  it('sends an email with the generic template: subject and body filled, our reference kept', async () => {
    const response = await client.sendEmail(EMAIL_TEMPLATE, 'team.manager@example.gov.uk', {
      personalisation: { subject: 'LADO referral due', body: 'C-1001: due **Monday**' },
      reference: 'send-1',
    });
    expect(response.status).toBe(201);
    expect(response.data).toMatchObject({
      reference: 'send-1',
      content: { subject: 'LADO referral due', body: 'C-1001: due **Monday**' },
      template: { id: EMAIL_TEMPLATE, version: 1 },
    });
    const { data } = await client.getNotificationById(response.data.id);
    expect(data).toMatchObject({ id: response.data.id, reference: 'send-1', type: 'email' });
  });

  it('sends a text; Notify’s test numbers fail as documented, in a receipt carrying the reference', async () => {
    await client.sendSms(SMS_TEMPLATE, '07700900002', {
      personalisation: { body: 'Alert: C-1001' },
      reference: 'send-2',
    });
    await client.sendSms(SMS_TEMPLATE, '07700900003', {
      personalisation: { body: 'Alert: C-1001' },
      reference: 'send-3',
    });
    await client.sendEmail(EMAIL_TEMPLATE, 'perm-fail@simulator.notify', {
      personalisation: { subject: 's', body: 'b' },
      reference: 'send-4',
    });
    await standIn.settled();
    const receipts = posted
      .filter((p) => p.kind === 'delivery-receipts')
      .map((p) => NotifyDeliveryReceipt.parse(p.body));
    const status = (reference: string) => receipts.find((r) => r.reference === reference)?.status;
    expect(status('send-1')).toBe('delivered');
    expect(status('send-2')).toBe('permanent-failure');
    expect(status('send-3')).toBe('temporary-failure');
    expect(status('send-4')).toBe('permanent-failure');
    expect(posted.every((p) => p.bearer === TOKEN)).toBe(true);
  });

  it('lists notifications by reference', async () => {
    const { data } = await client.getNotifications('sms', undefined, 'send-2');
    expect(data.notifications.map((n) => n.reference)).toEqual(['send-2']);
  });

  it('a missing personalisation field is a 400 BadRequestError, as Notify answers', async () => {
    const { status, data } = await refusal(
      client.sendEmail(EMAIL_TEMPLATE, 'team.manager@example.gov.uk', {
        personalisation: { subject: 'only a subject' },
      }),
    );
    expect(status).toBe(400);
    expect(data).toMatchObject({ errors: [{ error: 'BadRequestError' }] });
  });

  it('a key with the wrong secret is a 403 AuthError', async () => {
    const wrong = standIn.apiKey.replace(/.{36}$/, '00000000-0000-4000-8000-000000000000');
    const { status, data } = await refusal(
      new NotifyClient(standIn.url, wrong).sendSms(SMS_TEMPLATE, '07700900111', {
        personalisation: { body: 'x' },
      }),
    );
    expect(status).toBe(403);
    expect(data).toMatchObject({ errors: [{ error: 'AuthError' }] });
  });

  it('a text to the inbound number reaches the received-text callback in Notify’s shape', async () => {
    await standIn.receiveText('447700900111', 'YES');
    const text = posted.find((p) => p.kind === 'received-text-messages');
    expect(NotifyReceivedText.parse(text?.body)).toMatchObject({
      source_number: '447700900111',
      message: 'YES',
    });
  });

  it('beyond the rate limit the client gets 429 RateLimitError (12 a minute here)', async () => {
    // 7 requests so far (4 sends, 2 reads, 1 refused send); 5 more fill the minute.
    const sends = Array.from({ length: 6 }, (_, i) =>
      client
        .sendSms(SMS_TEMPLATE, '07700900111', {
          personalisation: { body: 'x' },
          reference: `burst-${i}`,
        })
        .then(
          () => ({ status: 201, error: undefined }),
          (error: { response?: { status: number; data: { errors?: { error: string }[] } } }) => ({
            status: error.response?.status,
            error: error.response?.data.errors?.[0]?.error,
          }),
        ),
    );
    const answers = await Promise.all(sends);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(5);
    expect(answers.filter((a) => a.status !== 201)).toEqual([
      { status: 429, error: 'RateLimitError' },
    ]);
  });
});
