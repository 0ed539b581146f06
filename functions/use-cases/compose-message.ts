/** A reminder's message for one delivery: the email (with its invitation) or the SMS. */

import type { OutboundMessage } from '#domain/ports.js';
import type { momentOf } from '#domain/reminders/index.js';
import { renderEmail, renderSms } from '#domain/reminders/messages.js';
import type { Delivery } from '#domain/reminders/routing.js';

export interface ComposeInput {
  caseId: string;
  rule: string;
  reminderId: string;
  title: string;
  stageName: string | undefined;
  action: string;
  dueAt: Date;
  moment: ReturnType<typeof momentOf>;
  urgent: boolean;
  link: string;
  invite: boolean;
  emailFrom: string;
  now: Date;
}

export function composeMessage(delivery: Delivery, input: ComposeInput): OutboundMessage {
  const meta = {
    caseId: input.caseId,
    rule: input.rule,
    reminderId: input.reminderId,
    personId: delivery.personId,
  };
  const message = {
    caseId: input.caseId,
    title: input.title,
    ...(input.stageName === undefined ? {} : { stageName: input.stageName }),
    action: input.action,
    dueAt: input.dueAt,
    moment: input.moment,
    urgent: input.urgent,
    link: input.link,
    edt: delivery.via === 'edt',
  };
  if (delivery.channel === 'sms')
    return { channel: 'sms', to: delivery.to, text: renderSms(message), meta };
  const email = renderEmail(
    input.invite && delivery.via !== 'edt'
      ? {
          ...message,
          invite: {
            uid: `${input.reminderId}@timescales`,
            organizer: input.emailFrom,
            attendee: delivery.to,
            now: input.now,
          },
        }
      : message,
  );
  return {
    channel: 'email',
    to: delivery.to,
    subject: email.subject,
    text: email.text,
    html: email.html,
    ...(email.ics === undefined ? {} : { ics: email.ics }),
    meta,
  };
}
