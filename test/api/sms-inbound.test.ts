/**
 * The inbound-SMS Lambda: each SNS record carries a two-way SMS reply
 * (`{originationNumber, messageBody, inboundMessageId}`); YES from the number an open alert went
 * to acknowledges it, anything else changes nothing; its logs carry ids, never the number or
 * the text.
 */
import type { SNSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { makeHandler } from '#functions/alerts/sms-handler.js';
import { EDT_PHONE, lado, ladoCase, setup } from '#test/support/alerts.js';
import { at } from '#test/support/reminders.js';

function snsEvent(...messages: unknown[]): SNSEvent {
  return {
    Records: messages.map((message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-2:111122223333:inbound:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: 'arn:aws:sns:eu-west-2:111122223333:inbound',
        Subject: '',
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-05-23T03:40:00.000Z',
        SignatureVersion: '1',
        Signature: '',
        SigningCertUrl: '',
        UnsubscribeUrl: '',
        MessageAttributes: {},
      },
    })),
  };
}

const reply = (originationNumber: string, messageBody: string) => ({
  originationNumber,
  destinationNumber: '+447700900000',
  messageKeyword: 'KEYWORD_111122223333',
  messageBody,
  inboundMessageId: 'in-1',
  previousPublishedMessageId: 'out-1',
});

describe('the inbound-SMS Lambda', () => {
  it('acknowledges the EDT manager’s open alert on their YES, and ignores what is not one', async () => {
    // Prepare: the 50% alert went at Saturday 04:30 BST.
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    t.clock.current = at('2026-05-23T03:40:00Z');
    const logged: Record<string, unknown>[] = [];
    const log = {
      info: (_m: string, fields?: Record<string, unknown>) => void logged.push(fields ?? {}),
      warn: (_m: string, fields?: Record<string, unknown>) => void logged.push(fields ?? {}),
      error: () => {},
    };
    const handler = makeHandler({ ...t.ackDeps, log });
    // Act
    const { outcomes } = await handler(
      snsEvent('not json', { messageBody: 'YES' }, reply(EDT_PHONE, 'no'), reply(EDT_PHONE, 'YES')),
    );
    // Assess
    expect(outcomes).toEqual(['not-understood', 'not-understood', 'not-an-ack', 'acknowledged']);
    const [alert] = t.store.alerts.values();
    expect(alert?.status).toBe('acknowledged');
    expect(alert?.ack).toMatchObject({ via: 'sms', by: 1, personId: 'P-0005' });
    expect(JSON.stringify(logged)).not.toContain('7700');
    expect(JSON.stringify(logged)).not.toMatch(/YES|"no"/);
  });

  it('a redelivered YES changes nothing more', async () => {
    const t = setup(ladoCase(lado), '2026-05-23T03:30:00Z');
    await t.fireStep(lado, 'p50', '2026-05-23T03:30:00Z');
    const handler = makeHandler(t.ackDeps);
    await handler(snsEvent(reply(EDT_PHONE, 'YES')));
    const audit = t.audit.entries.length;
    const { outcomes } = await handler(snsEvent(reply(EDT_PHONE, 'YES')));
    // Nothing is open for that number any more: the clock is acknowledged.
    expect(outcomes).toEqual(['no-open-alert']);
    expect(t.audit.entries).toHaveLength(audit);
  });
});
