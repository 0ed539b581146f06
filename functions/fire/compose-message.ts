/** A reminder's message for one delivery: the email (with its invitation) or the SMS. */

import { emailMessageId, invitationUid } from '#kernel/ids.js';
import { limitOf } from '#kernel/model.js';
import {
  type AlertText,
  carriesInvite,
  caseLink,
  type Delivery,
  INVITATION_SLOT_MS,
  type Invitation,
  type momentOf,
  type RoutingGapText,
  renderEmail,
  renderSms,
} from '#kernel/reminders/index.js';
import type { ReminderDeadline, ReminderPlan, ReminderStep } from '#kernel/reminders/types.js';
import type { MessageSettings, OutboundMessage } from './ports.js';

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
  /** The supervision's invitation (or its withdrawal), for the people it is meant for. */
  invite?: Pick<Invitation, 'uid' | 'sequence' | 'method'> | undefined;
  /** A breach: how late the clock is now. */
  lateMs?: number | undefined;
  /** What the fallback contact is told was missing (fallback deliveries only). */
  gaps?: readonly RoutingGapText[] | undefined;
  emailFrom: string;
  /** The council, named at the top of emails. */
  authority?: string | undefined;
  /** The council's name in text messages. */
  authorityShortName?: string | undefined;
  now: Date;
  /** An out-of-hours alert: its ack link, or who acknowledged (the alerted person's messages only). */
  alert?: AlertText | undefined;
}

/**
 * What every message about one of a deadline's moments says the same way, whoever sends it (a
 * reminder, an escalation, a follow-up): the clock, its link, the council, and how late a
 * breach is — counted from the statutory limit, which decides a breach.
 */
export function stepInput(
  deadline: ReminderDeadline,
  title: string,
  moment: ComposeInput['moment'],
  now: Date,
  settings: Pick<
    MessageSettings,
    'caseUrlTemplate' | 'emailFrom' | 'authorityName' | 'authorityShortName'
  >,
): Omit<ComposeInput, 'reminderId' | 'action' | 'urgent'> {
  return {
    caseId: deadline.caseId,
    rule: deadline.rule,
    title,
    stageName: deadline.stageName,
    dueAt: deadline.dueAt,
    moment,
    link: caseLink(settings.caseUrlTemplate, deadline.caseId),
    lateMs:
      moment === 'breach' ? Math.max(0, now.getTime() - limitOf(deadline).getTime()) : undefined,
    emailFrom: settings.emailFrom,
    authority: settings.authorityName,
    authorityShortName: settings.authorityShortName,
    now,
  };
}

export function composeMessage(delivery: Delivery, input: ComposeInput): OutboundMessage {
  const meta = {
    caseId: input.caseId,
    rule: input.rule,
    reminderId: input.reminderId,
    personId: delivery.personId,
  };
  const attendee = delivery.via === 'direct' || delivery.via === 'delegate';
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
    authority: input.authority,
    authorityShortName: input.authorityShortName,
    ...(input.lateMs === undefined ? {} : { lateMs: input.lateMs }),
    ...(delivery.via === 'fallback' ? { gaps: input.gaps ?? [] } : {}),
    ...(input.alert === undefined ? {} : { alert: input.alert }),
  };
  if (delivery.channel === 'sms')
    return { channel: 'sms', to: delivery.to, text: renderSms(message), meta };
  const email = renderEmail(
    input.invite !== undefined && attendee
      ? {
          ...message,
          invite: {
            ...input.invite,
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
    ...(email.layout === undefined ? {} : { layout: email.layout }),
    headers: { date: input.now, messageId: emailMessageId(meta, domainOf(input.emailFrom)) },
    meta,
  };
}

/** The domain of the sender's address (Message-IDs are made on it). */
export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1).replace(/[^A-Za-z0-9.-]/g, '');
  return domain === '' ? 'timescales.invalid' : domain;
}

/** What a withdrawn invitation's message asks of its reader. */
const CANCEL_ACTION =
  'The supervision was recorded or its clock stopped: the calendar invitation is withdrawn.';

/** What a step's message asks of its reader: the plan's action, or a withdrawal's own words. */
export function actionOf(plan: { action: string }, moment: ComposeInput['moment']): string {
  return moment === 'cancelled' ? CANCEL_ACTION : plan.action;
}

/**
 * A supervision's invitation for a step: one UID per occurrence (the deadline), its version
 * as the SEQUENCE (it rises whenever the due time moves); `REQUEST` from the steps before a
 * slot still ahead (never an invitation to a past slot), `CANCEL` when withdrawn.
 */
export function invitationOf(
  deadline: ReminderDeadline,
  plan: ReminderPlan,
  step: ReminderStep,
  now: Date,
): ComposeInput['invite'] {
  if (plan.invite !== true) return undefined;
  const ids = { uid: invitationUid(deadline), sequence: deadline.version };
  if (step.at.kind === 'cancel-invite') return { ...ids, method: 'CANCEL' as const };
  const slotStart = deadline.dueAt.getTime() - INVITATION_SLOT_MS;
  if (!carriesInvite(step.at) || now.getTime() >= slotStart) return undefined;
  return { ...ids, method: 'REQUEST' as const };
}
