/**
 * A send's attempts stop at the Lambda invocation's deadline (`SendDeps.deadline`): an attempt
 * that would start after it, or a retry whose wait would end after it, is not made; the send
 * is held back (not failed) and the claim left open, so the timer's retry sends it once.
 * SES is mocked (its 5xx injected); the claims are on DynamoDB Local.
 */
import 'aws-sdk-client-mock-vitest/extend';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { SesEmailChannel } from '#functions/fire/channels/ses.js';
import { DynamoFiringStore } from '#functions/fire/firing-store.js';
import { buildFireDeps } from '#functions/fire/wiring.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { invocationDeadline } from '#platform/invocation.js';
import { AUTHORITY } from '#test/api/support.js';
import { claimKey, ladoEmail, ses5xx } from '#test/support/channel-messages.js';
import { sendOnce } from '#test/support/firing.js';
import { at, noSleep } from '#test/support/reminders.js';
import { noScheduler } from '#test/support/scheduler.js';

const tableName = `send-deadline-${Date.now()}`;
let store: DynamoFiringStore;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  const base = new DynamoDBClient({ endpoint: inject('dynamoEndpoint') });
  await createTable(base, tableName);
  documents = DynamoDBDocumentClient.from(base);
  store = new DynamoFiringStore(documents, tableName);
});

const mockedSes = new SESv2Client({});
const ses = mockClient(mockedSes);
afterEach(() => ses.reset());
const channels = { email: new SesEmailChannel(mockedSes, { from: 'timescales@example.gov.uk' }) };

const clock = { now: () => at('2026-05-23T03:30:00Z') };

describe('a send at the invocation’s deadline', () => {
  it('is the Lambda invocation’s: the fire wiring gives it to every kind that sends', () => {
    const deps = buildFireDeps({
      client: documents,
      tableName,
      authority: AUTHORITY,
      scheduler: noScheduler,
      channels,
      emailFrom: 'timescales@example.gov.uk',
      clock,
    });
    for (const sending of [deps.reminder, deps.escalation, deps.digest, deps.undelivered])
      expect(sending?.deadline).toBe(invocationDeadline);
  });

  it('SES 5xx with the invocation nearly out of time: no retry, the send held back, then sent once by the timer’s retry', async () => {
    // Prepare: the first attempt fails with a 5xx; the retry would first wait 4.5 s (the
    // jitter's half of a 9 s base) while the invocation must stop waiting within 1 s.
    ses.on(SendEmailCommand).rejectsOnce(ses5xx()).resolves({ MessageId: 'm-2' });
    const k = claimKey('email');
    const slept: number[] = [];
    const warnings: [string, Record<string, unknown> | undefined][] = [];
    const log = {
      info: () => {},
      warn: (m: string, f?: Record<string, unknown>) => void warnings.push([m, f]),
      error: () => {},
    };
    const nearlyOut = {
      store,
      channels,
      clock,
      log,
      sendBackoff: {
        baseDelayMs: 9_000,
        random: () => 0.5,
        sleep: async (ms: number) => void slept.push(ms),
      },
      deadline: () => Date.now() + 1_000,
    };

    // Act: the firing, then the timer's retry a minute later with time to spare.
    const first = await sendOnce(k, ladoEmail(k), nearlyOut);
    const later = { now: () => at('2026-05-23T03:31:00Z') };
    const retried = await sendOnce(k, ladoEmail(k), {
      store,
      channels,
      clock: later,
      sendBackoff: noSleep,
    });

    // Assess: one attempt and no wait in the firing, held back (not failed) with the reason;
    // the retry sends it, and only one email was accepted.
    expect(first).toEqual({ status: 'in-flight' });
    expect(slept).toEqual([]);
    expect(warnings).toContainEqual([
      'send held back: no time left in this invocation to try it again',
      { ...k, channel: 'email', reason: 'deadline' },
    ]);
    expect(retried).toEqual({ status: 'sent', messageId: 'm-2' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 2);
  });

  it('a send that would start past the invocation’s deadline is not made: held back for the timer', async () => {
    // Prepare: the invocation's time is already up (a long firing's last person).
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-3' });
    const k = claimKey('email');
    const passed = Date.now() - 60_000;
    // Act
    const result = await sendOnce(k, ladoEmail(k), {
      store,
      channels,
      clock,
      sendBackoff: noSleep,
      deadline: () => passed,
    });
    // Assess: nothing sent, nothing failed: the claim stays open for the timer's retry.
    expect(result).toEqual({ status: 'in-flight' });
    expect(ses).toHaveReceivedCommandTimes(SendEmailCommand, 0);
  });
});
