import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  InternalServerException,
  PinpointSMSVoiceV2Client,
  SendTextMessageCommand,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import {
  MessageRejected,
  SESv2Client,
  SendEmailCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SesEmailChannel } from '#functions/fire/channels/ses.js';
import { EndUserMessagingSmsChannel } from '#functions/fire/channels/sms.js';
import { DynamoFiringStore } from '#functions/fire/firing-store.js';
import type { ClaimKey, OutboundMessage } from '#functions/fire/ports.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import * as keys from '#platform/dynamodb/keys.js';
import { claimKey, ladoEmail, ses5xx } from '#test/support/channel-messages.js';
import { sendOnce, sendToPersonOnce } from '#test/support/firing.js';
import { at, noSleep } from '#test/support/reminders.js';

const tableName = `reminders-channels-${Date.now()}`;
let store: DynamoFiringStore;
let documents: DynamoDBDocumentClient;
let realSes: SESv2Client;

beforeAll(async () => {
  const base = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
  await createTable(base, tableName);
  documents = DynamoDBDocumentClient.from(base);
  store = new DynamoFiringStore(documents, tableName);
  realSes = new SESv2Client({ endpoint: inject('sesEndpoint') });
});

// The mock is on one instance: the aws-ses-v2-local tests below use a real client.
const mockedSes = new SESv2Client({});
const ses = mockClient(mockedSes);
const sms = mockClient(PinpointSMSVoiceV2Client);
afterEach(() => {
  ses.reset();
  sms.reset();
});

const text = (k: ClaimKey): OutboundMessage => ({
  channel: 'sms',
  to: '+447700900005',
  text: 'URGENT C-1001: LADO notification due soon.',
  meta: {
    caseId: 'C-1001',
    rule: 'lado-notification',
    reminderId: k.reminderId,
    personId: k.personId,
  },
});
const clock = { now: () => at('2026-05-23T03:30:00Z') };
const sesThrottle = () =>
  new TooManyRequestsException({ message: 'slow down', $metadata: { httpStatusCode: 429 } });
const smsInvalid = () =>
  new ValidationException({
    message: 'bad',
    $metadata: { httpStatusCode: 400 },
    Reason: 'x',
  } as never);

describe('exactly-once delivery', () => {
  it('SES throttling then success: one email, and a redelivered timer sends nothing more', async () => {
    // Prepare
    ses
      .on(SendEmailCommand)
      .rejectsOnce(sesThrottle())
      .rejectsOnce(ses5xx())
      .resolves({ MessageId: 'm-1' });
    const channels = {
      email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }),
    };
    const k = claimKey('email');
    const deps = { store, channels, clock, sendBackoff: noSleep };
    // Act
    const first = await sendOnce(k, ladoEmail(k), deps);
    const again = await sendOnce(k, ladoEmail(k), deps);
    // Assess: three attempts, one accepted message, the second firing is a duplicate.
    expect(first).toEqual({ status: 'sent', messageId: 'm-1' });
    expect(again).toEqual({ status: 'duplicate' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 3);
  });

  it('SES 5xx that never stops: recorded as failed after the retries, never retried by a redelivery', async () => {
    // Prepare
    ses.on(SendEmailCommand).rejects(ses5xx());
    const channels = {
      email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }),
    };
    const k = claimKey('email');
    const errors: Record<string, unknown>[] = [];
    const log = {
      info: () => {},
      warn: () => {},
      error: (_: string, f?: Record<string, unknown>) => void errors.push(f ?? {}),
    };
    // Act
    const first = await sendOnce(k, ladoEmail(k), {
      store,
      channels,
      clock,
      sendBackoff: noSleep,
      log,
    });
    const again = await sendOnce(k, ladoEmail(k), {
      store,
      channels,
      clock,
      sendBackoff: noSleep,
      log,
    });
    // Assess: 5 attempts, a failure an alarm can see (ids, no address), nothing more.
    expect(first).toEqual({ status: 'failed', reason: 'InternalFailure' });
    expect(again).toEqual({ status: 'duplicate' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 5);
    expect(errors).toEqual([{ ...k, reason: 'InternalFailure', metric: 'ReminderSendFailed' }]);
    expect(JSON.stringify(errors)).not.toContain('@');
  });

  it('SES rejecting the message is not retried', async () => {
    // Prepare
    ses
      .on(SendEmailCommand)
      .rejects(new MessageRejected({ message: 'no', $metadata: { httpStatusCode: 400 } }));
    const channels = {
      email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }),
    };
    const k = claimKey('email');
    // Act
    const result = await sendOnce(k, ladoEmail(k), {
      store,
      channels,
      clock,
      sendBackoff: noSleep,
    });
    // Assess
    expect(result).toEqual({ status: 'failed', reason: 'MessageRejected' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('SMS throttling and 5xx then success: one text, sent with exact inputs', async () => {
    // Prepare
    sms
      .on(SendTextMessageCommand)
      .rejectsOnce(new ThrottlingException({ message: 'slow', $metadata: { httpStatusCode: 429 } }))
      .rejectsOnce(
        new InternalServerException({ message: 'oops', $metadata: { httpStatusCode: 500 } }),
      )
      .resolves({ MessageId: 's-1' });
    const channels = {
      sms: new EndUserMessagingSmsChannel(new PinpointSMSVoiceV2Client({}), {
        originationIdentity: 'arn:aws:sms-voice:eu-west-2:111122223333:pool/pool-1',
        configurationSet: 'timescales',
      }),
    };
    const k = claimKey('sms');
    // Act
    const first = await sendOnce(k, text(k), { store, channels, clock, sendBackoff: noSleep });
    const again = await sendOnce(k, text(k), { store, channels, clock, sendBackoff: noSleep });
    // Assess
    expect(first).toEqual({ status: 'sent', messageId: 's-1' });
    expect(again).toEqual({ status: 'duplicate' });
    expect(sms).toHaveReceivedCommandTimes(SendTextMessageCommand, 3);
    expect(sms).toHaveReceivedNthCommandWith(SendTextMessageCommand, 3, {
      DestinationPhoneNumber: '+447700900005',
      MessageBody: 'URGENT C-1001: LADO notification due soon.',
      MessageType: 'TRANSACTIONAL',
      OriginationIdentity: 'arn:aws:sms-voice:eu-west-2:111122223333:pool/pool-1',
      ConfigurationSetName: 'timescales',
      // The send id its delivery events name it by: the claim's key and the channel.
      Context: {
        caseId: 'C-1001',
        reminderId: k.reminderId,
        sendId: Buffer.from(`C-1001\n${k.reminderId}\nP-0005\nsms`).toString('base64url'),
      },
    });
  });

  it('SMS validation errors fail at once and are recorded', async () => {
    // Prepare
    sms.on(SendTextMessageCommand).rejects(smsInvalid());
    const k = claimKey('sms');
    // Act
    const result = await sendOnce(k, text(k), {
      store,
      channels: { sms: new EndUserMessagingSmsChannel(new PinpointSMSVoiceV2Client({})) },
      clock,
      sendBackoff: noSleep,
    });
    // Assess
    expect(result).toEqual({ status: 'failed', reason: 'ValidationException' });
    expect(sms).toHaveReceivedCommandTimes(SendTextMessageCommand, 1);
  });

  it('concurrent firings of the same reminder send one message', async () => {
    // Prepare
    ses.on(SendEmailCommand).callsFake(async () => {
      await new Promise((done) => setTimeout(done, 20));
      return { MessageId: 'm-2' };
    });
    const channels = {
      email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }),
    };
    const k = claimKey('email');
    // Act
    const results = await Promise.all(
      [1, 2, 3].map(() =>
        sendOnce(k, ladoEmail(k), { store, channels, clock, sendBackoff: noSleep }),
      ),
    );
    // Assess
    expect(results.filter((r) => r.status === 'sent')).toHaveLength(1);
    expect(
      results.filter((r) => r.status === 'sent').length +
        results.filter((r) => r.status !== 'sent').length,
    ).toBe(3);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
  });

  it('SMS and email to one person share one claim: a failed SMS and a sent email are both final', async () => {
    // Prepare: the SMS is rejected (not retryable), the email is accepted.
    sms.on(SendTextMessageCommand).rejects(smsInvalid());
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-4' });
    const channels = {
      email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }),
      sms: new EndUserMessagingSmsChannel(new PinpointSMSVoiceV2Client({})),
    };
    const k = claimKey('sms');
    const deps = { store, channels, clock, sendBackoff: noSleep };
    // Act: the reminder fires, then fires again (a redelivered timer).
    const first = await sendToPersonOnce(k, [text(k), ladoEmail(k)], deps);
    const again = await sendToPersonOnce(k, [text(k), ladoEmail(k)], deps);
    // Assess: one attempt each, both outcomes kept on the one claim, nothing re-sent.
    expect(first).toEqual([
      { status: 'failed', reason: 'ValidationException' },
      { status: 'sent', messageId: 'm-4' },
    ]);
    expect(again).toEqual([{ status: 'duplicate' }, { status: 'duplicate' }]);
    expect(sms).toHaveReceivedCommandTimes(SendTextMessageCommand, 1);
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 1);
    const { Item } = await documents.send(
      new GetCommand({ TableName: tableName, Key: keys.sendClaim(k), ConsistentRead: true }),
    );
    expect(Item).toMatchObject({
      state: 'sent',
      channels: {
        sms: { state: 'failed', reason: 'ValidationException' },
        email: { state: 'sent', messageId: 'm-4' },
      },
    });
  });
});

describe('send claims (DynamoDB Local)', () => {
  it('lets a claim whose sender crashed be taken over after its lease, not before', async () => {
    // Prepare
    const k = claimKey('email');
    const first = await store.claim({ key: k }, at('2026-05-23T03:30:00Z'), 60_000);
    // Act
    const during = await store.claim({ key: k }, at('2026-05-23T03:30:30Z'), 60_000);
    const after = await store.claim({ key: k }, at('2026-05-23T03:31:01Z'), 60_000);
    // Assess
    expect(first.outcome).toBe('acquired');
    expect(during).toEqual({ outcome: 'in-flight' });
    expect(after.outcome).toBe('acquired');
  });

  it('never takes over a sent claim', async () => {
    // Prepare
    const k = claimKey('email');
    const first = await store.claim({ key: k }, at('2026-05-23T03:30:00Z'), 1000);
    if (first.outcome !== 'acquired') throw new Error('expected to acquire');
    await store.record({
      now: at('2026-05-23T03:30:00Z'),
      finished: [
        {
          key: k,
          token: first.token,
          outcomes: [{ channel: 'email', state: 'sent', messageId: 'm-3' }],
        },
      ],
      audit: [],
    });
    // Act
    const later = await store.claim({ key: k }, at('2026-06-23T03:30:00Z'), 1000);
    // Assess
    expect(later).toEqual({ outcome: 'sent' });
  });
});

describe('SES against aws-ses-v2-local', () => {
  type Stored = {
    subject: string;
    destination: { to: string[] };
    body: { text?: string; html?: string };
    attachments: { filename?: string; contentType?: string; content?: string }[];
  };
  const stored = async (): Promise<Stored[]> =>
    ((await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as { emails: Stored[] }).emails;

  it('sends a simple HTML + text email', async () => {
    // Prepare
    const channel = new SesEmailChannel(realSes, { from: 'timescales@example.gov.uk' });
    const k = claimKey('email');
    // Act
    await channel.send(ladoEmail(k));
    // Assess
    const mail = (await stored()).find(
      (e) => e.subject === `C-1001: LADO notification due soon ${k.reminderId}`,
    );
    expect(mail?.destination.to).toEqual(['edt.manager.one@example.gov.uk']);
    expect(mail?.body.html).toBe('<p>Case: C-1001</p>');
    expect(mail?.body.text).toBe('Case: C-1001');
  });

  it('sends raw MIME with the invitation attached', async () => {
    // Prepare
    const channel = new SesEmailChannel(realSes, { from: 'timescales@example.gov.uk' });
    const k = claimKey('email');
    const ics = 'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n';
    // Act
    await channel.send(
      ladoEmail(k, { subject: `Joint supervision — C-1001 ${k.reminderId}`, ics }),
    );
    // Assess
    const mail = (await stored()).find(
      (e) => e.subject === `Joint supervision — C-1001 ${k.reminderId}`,
    );
    expect(mail?.body).toEqual({ text: 'Case: C-1001', html: '<p>Case: C-1001</p>' });
    expect(mail?.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['invite.ics', 'text/calendar'],
    ]);
    expect(Buffer.from(mail?.attachments[0]?.content ?? '', 'base64').toString()).toBe(ics);
  });
});
