/**
 * The email as it leaves us: raw MIME parsed back with mailparser (Date, Message-ID, bodies,
 * the invitation part and its method) and the invitation with ical.js — through a captured
 * SES call and through aws-ses-v2-local.
 */
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import ICAL from 'ical.js';
import { simpleParser } from 'mailparser';
import { afterEach, describe, expect, inject, it } from 'vitest';
import { SesEmailChannel } from '#functions/fire/channels/ses.js';
import { composeMessage } from '#functions/fire/compose-message.js';
import type { OutboundMessage } from '#functions/fire/ports.js';
import { emailMessageId, invitationUid } from '#kernel/ids.js';
import { at } from '#test/support/reminders.js';

const FROM = 'timescales@example.gov.uk';
const captured = new SESv2Client({});
const ses = mockClient(captured);
afterEach(() => ses.reset());

const supervision = { caseId: 'C-1001', id: 'joint-supervision.2' };
const NOW = at('2026-05-11T08:00:00Z');

/** A joint supervision reminder to the supervisor, with its invitation (`method`). */
function reminder(method: 'REQUEST' | 'CANCEL', reminderId: string): OutboundMessage {
  return composeMessage(
    {
      personId: 'P-0001',
      channel: 'email',
      to: 'worker.one@example.gov.uk',
      via: 'direct',
      forPersonId: 'P-0001',
    },
    {
      caseId: 'C-1001',
      rule: 'joint-supervision',
      reminderId,
      title: 'Joint supervision',
      stageName: undefined,
      action: 'Hold the joint supervision and record it.',
      dueAt: at('2026-05-26T16:00:00Z'),
      moment: method === 'CANCEL' ? 'cancelled' : 'before',
      urgent: false,
      link: 'https://cases.example.gov.uk/cases/C-1001',
      invite: { uid: invitationUid(supervision), sequence: 3, method },
      emailFrom: FROM,
      now: NOW,
    },
  );
}

/** What the channel handed SES, parsed as a mail client would. */
async function sentThroughSes(message: OutboundMessage) {
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  await new SesEmailChannel(captured, { from: FROM }).send(message);
  const input = ses.commandCalls(SendEmailCommand)[0]?.args[0].input;
  const raw = Buffer.from(input?.Content?.Raw?.Data ?? new Uint8Array());
  return { raw: raw.toString('utf8'), mail: await simpleParser(raw), input };
}

describe('raw MIME email', () => {
  it('carries Date and Message-ID, both bodies and the invitation (method REQUEST)', async () => {
    // Prepare
    const message = reminder('REQUEST', 'joint-supervision.2.b10wd.x1');
    // Act
    const { mail, raw } = await sentThroughSes(message);
    // Assess
    expect(mail.date).toEqual(NOW);
    expect(mail.messageId).toBe(
      emailMessageId(
        { caseId: 'C-1001', reminderId: 'joint-supervision.2.b10wd.x1', personId: 'P-0001' },
        'example.gov.uk',
      ),
    );
    expect(mail.messageId).toMatch(
      /^<[0-9a-f]{16}\.joint-supervision_2_b10wd_x1@example\.gov\.uk>$/,
    );
    expect(mail.subject).toBe(message.subject);
    expect(mail.text).toBe(message.text);
    expect(mail.html).toBe(message.html);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      ['invite.ics', 'text/calendar'],
    ]);
    expect(raw).toContain('Content-Type: text/calendar; charset=UTF-8; method=REQUEST;');
    const calendar = new ICAL.Component(ICAL.parse(mail.attachments[0]?.content.toString() ?? ''));
    const event = calendar.getFirstSubcomponent('vevent') as ICAL.Component;
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    expect(event.getFirstPropertyValue('uid')).toBe(invitationUid(supervision));
    expect(event.getFirstPropertyValue('sequence')).toBe(3);
    // The slot: the hour before the due time, Tue 26 May 16:00–17:00 BST.
    expect((event.getFirstPropertyValue('dtstart') as ICAL.Time).toJSDate()).toEqual(
      at('2026-05-26T15:00:00Z'),
    );
    expect((event.getFirstPropertyValue('dtend') as ICAL.Time).toJSDate()).toEqual(
      at('2026-05-26T16:00:00Z'),
    );
  });

  it('sends the withdrawal as METHOD:CANCEL under the same UID', async () => {
    // Act
    const { mail, raw } = await sentThroughSes(reminder('CANCEL', 'joint-supervision.2.xinv.x1'));
    // Assess
    expect(raw).toContain('method=CANCEL;');
    const calendar = new ICAL.Component(ICAL.parse(mail.attachments[0]?.content.toString() ?? ''));
    const event = calendar.getFirstSubcomponent('vevent') as ICAL.Component;
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    expect(event.getFirstPropertyValue('uid')).toBe(invitationUid(supervision));
    expect(event.getFirstPropertyValue('status')).toBe('CANCELLED');
  });

  it('gives an email without an invitation its Date and Message-ID too', async () => {
    // Prepare: an EDT alert (no invitation) built without headers: the channel supplies them.
    const message: OutboundMessage = {
      channel: 'email',
      to: 'edt.manager.one@example.gov.uk',
      subject: 'URGENT: C-1001: LADO notification BREACHED, 6 hours late',
      text: 'Case: C-1001',
      html: '<p>Case: C-1001</p>',
      meta: {
        caseId: 'C-1001',
        rule: 'lado-notification',
        reminderId: 'lado-notification.A-1.breach.x',
        personId: 'P-0005',
      },
    };
    // Act
    const { mail, input } = await sentThroughSes(message);
    // Assess
    expect(input?.Content?.Simple).toBeUndefined();
    expect(mail.date).toBeInstanceOf(Date);
    expect(mail.messageId).toMatch(/@example\.gov\.uk>$/);
    expect(mail.attachments).toEqual([]);
    expect([mail.text, mail.html]).toEqual(['Case: C-1001', '<p>Case: C-1001</p>']);
  });

  it('reaches aws-ses-v2-local as a parsable message with its invitation attached', async () => {
    // Prepare
    const channel = new SesEmailChannel(new SESv2Client({ endpoint: inject('sesEndpoint') }), {
      from: FROM,
    });
    const message = { ...reminder('REQUEST', `joint-supervision.2.b2wd.${Date.now()}`) };
    message.subject = `${message.subject} ${message.meta.reminderId}`;
    // Act
    await channel.send(message);
    // Assess
    const stored = (
      (await (await fetch(`${inject('sesEndpoint')}/store`)).json()) as {
        emails: { subject: string; attachments: { content: string }[] }[];
      }
    ).emails.find((e) => e.subject === message.subject);
    const ics = Buffer.from(stored?.attachments[0]?.content ?? '', 'base64').toString();
    const event = new ICAL.Component(ICAL.parse(ics)).getFirstSubcomponent('vevent');
    expect(event?.getFirstPropertyValue('uid')).toBe(invitationUid(supervision));
  });
});
