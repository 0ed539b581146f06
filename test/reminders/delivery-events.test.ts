/**
 * The `aws` provider's delivery events in Notify's vocabulary: SES configuration-set events
 * (shaped as SES publishes them to SNS) and End User Messaging SMS events, each read into a
 * receipt for its send — or skipped, saying why, when it is not final, not ours or not JSON.
 */
import { describe, expect, it } from 'vitest';
import { readDeliveryEvent } from '#functions/delivery/aws-events.js';
import { sendId } from '#kernel/reminders/delivery.js';

const NOW = new Date('2026-06-06T03:31:00Z');
/** The send id the email channel tags its message with, as the channels make it. */
const SEND = sendId({
  caseId: 'C-1001',
  reminderId: 'lado-notification.A-1.p50.x',
  personId: 'P-0005',
  channel: 'email',
});

const ses = (eventType: string, extra: object = {}, mail: object = {}) =>
  JSON.stringify({
    eventType,
    mail: {
      timestamp: '2026-06-06T03:30:00.000Z',
      messageId: '0102018f-example',
      destination: ['edt.one@example.gov.uk'],
      tags: { sendId: [SEND], 'ses:configuration-set': ['timescales'] },
      ...mail,
    },
    ...extra,
  });

const sms = (eventType: string, extra: object = {}) =>
  JSON.stringify({
    eventType,
    eventVersion: '1.0',
    eventTimestamp: Date.parse('2026-06-06T03:30:07Z'),
    messageId: 'sms-1',
    context: { sendId: SEND.replace(/email$/, 'sms') },
    destinationPhoneNumber: '+447700900002',
    ...extra,
  });

describe('SES events', () => {
  it.each([
    ['Delivery', { delivery: { timestamp: '2026-06-06T03:30:04.000Z' } }, 'delivered'],
    [
      'Bounce',
      {
        bounce: {
          bounceType: 'Permanent',
          bounceSubType: 'General',
          timestamp: '2026-06-06T03:30:04.000Z',
        },
      },
      'permanent-failure',
    ],
    [
      'Bounce',
      { bounce: { bounceType: 'Transient', bounceSubType: 'MailboxFull' } },
      'temporary-failure',
    ],
    ['Bounce', { bounce: { bounceType: 'Undetermined' } }, 'technical-failure'],
    // The person had it (and marked it unwanted): delivered; the operations alarm says so.
    ['Complaint', { complaint: { timestamp: '2026-06-06T03:40:00.000Z' } }, 'delivered'],
    ['Reject', { reject: { reason: 'Bad content' } }, 'technical-failure'],
    ['Rendering Failure', {}, 'technical-failure'],
  ])('%s → %s', (kind, extra, state) => {
    const reading = readDeliveryEvent(ses(kind, extra), NOW);
    expect(reading).toMatchObject({ receipt: { sendId: SEND, state, provider: 'ses' } });
  });

  it('the bounce’s own time, else now', () => {
    const timed = readDeliveryEvent(
      ses('Bounce', { bounce: { bounceType: 'Permanent', timestamp: '2026-06-06T03:30:04Z' } }),
      NOW,
    );
    expect('receipt' in timed && timed.receipt.at.toISOString()).toBe('2026-06-06T03:30:04.000Z');
    const untimed = readDeliveryEvent(ses('Reject'), NOW);
    expect('receipt' in untimed && untimed.receipt.at).toEqual(NOW);
  });

  it('finds the send by the X-Timescales-Send header when the tag is missing', () => {
    const reading = readDeliveryEvent(
      ses(
        'Delivery',
        {},
        { tags: {}, headers: [{ name: 'X-Timescales-Send', value: ` ${SEND} ` }] },
      ),
      NOW,
    );
    expect(reading).toMatchObject({ receipt: { sendId: SEND, state: 'delivered' } });
  });

  it('skips what is not final, not ours, or not understood', () => {
    expect(readDeliveryEvent(ses('Send'), NOW)).toEqual({ skipped: 'not-final', kind: 'Send' });
    expect(readDeliveryEvent(ses('Delivery', {}, { tags: {} }), NOW)).toEqual({
      skipped: 'not-ours',
      kind: 'Delivery',
    });
    expect(readDeliveryEvent('not json', NOW)).toEqual({ skipped: 'not-understood' });
    expect(readDeliveryEvent('{"mail": {}}', NOW)).toEqual({ skipped: 'not-understood' });
  });
});

describe('End User Messaging SMS events', () => {
  it.each([
    ['TEXT_DELIVERED', 'delivered'],
    ['TEXT_UNREACHABLE', 'permanent-failure'],
    ['TEXT_BLOCKED', 'permanent-failure'],
    ['TEXT_INVALID', 'permanent-failure'],
    ['TEXT_TTL_EXPIRED', 'temporary-failure'],
    ['TEXT_CARRIER_UNREACHABLE', 'temporary-failure'],
    ['TEXT_UNKNOWN', 'technical-failure'],
  ])('%s → %s, at the event’s time', (kind, state) => {
    expect(readDeliveryEvent(sms(kind), NOW)).toEqual({
      receipt: {
        sendId: SEND.replace(/email$/, 'sms'),
        state,
        at: new Date('2026-06-06T03:30:07Z'),
        provider: 'sms',
        detail: kind,
      },
    });
  });

  it('TEXT_SUCCESSFUL is delivered only when final (no carrier receipt to follow)', () => {
    expect(readDeliveryEvent(sms('TEXT_SUCCESSFUL', { isFinal: true }), NOW)).toMatchObject({
      receipt: { state: 'delivered' },
    });
    expect(readDeliveryEvent(sms('TEXT_SUCCESSFUL', { isFinal: false }), NOW)).toEqual({
      skipped: 'not-final',
      kind: 'TEXT_SUCCESSFUL',
    });
    expect(readDeliveryEvent(sms('TEXT_PENDING'), NOW)).toEqual({
      skipped: 'not-final',
      kind: 'TEXT_PENDING',
    });
  });

  it('a text without our send id is not ours', () => {
    expect(readDeliveryEvent(sms('TEXT_DELIVERED', { context: {} }), NOW)).toEqual({
      skipped: 'not-ours',
      kind: 'TEXT_DELIVERED',
    });
  });
});
