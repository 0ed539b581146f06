/**
 * A reminder's messages (pure): the email (HTML and plain text, with a supervision's
 * iCalendar invitation from `invitation.ts`) and the SMS; the morning digest is
 * `digest-message.ts`. Messages carry the case reference, the clock, the due time in UK local
 * time, what to do and a link — never a child's or family member's name (we hold none).
 */
import { MONTHS, WEEKDAYS } from '../calendar/days.js';
import { offsetAt } from '../calendar/london.js';
import { type EmailLayout, emailHtml } from './email-layout.js';
import { type Invitation, renderInvitation } from './invitation.js';

export type ReminderMoment =
  | 'start'
  | 'before'
  | 'on-day'
  | 'due'
  | 'overdue'
  /** The clock breached (its breach step, or a repeat of it): the message says BREACHED. */
  | 'breach'
  /** The supervision's invitation withdrawn. */
  | 'cancelled';

/** Something routing could not do, and the event that would fix it (for the fallback contact). */
export interface RoutingGapText {
  /** What is missing, e.g. "no worker in role lado on the case". */
  missing: string;
  /** The event that would fix it, e.g. "send case.updated with a worker in role lado". */
  fix: string;
}

export interface MessageInput {
  caseId: string;
  /** The clock, e.g. "LADO notification". */
  title: string;
  stageName?: string;
  action: string;
  dueAt: Date;
  moment: ReminderMoment;
  urgent: boolean;
  /** The case link (from the authority's `caseUrlTemplate`). */
  link: string;
  /** True when sent to the EDT manager on call rather than the people named. */
  edt?: boolean;
  /** The council, named at the top of the email. */
  authority?: string | undefined;
  /** A breach: how late the clock is as the message goes (now − due). */
  lateMs?: number;
  /**
   * Sent to the authority's fallback contact because the reminder reached nobody it was meant
   * for (or nobody was on the EDT rota): what was missing and what would fix it.
   */
  gaps?: readonly RoutingGapText[];
  /** Set for supervisions: an invitation (or its withdrawal) attached to the email. */
  invite?: Invitation;
  /** An urgent out-of-hours alert: how it is acknowledged, or who already did. */
  alert?: AlertText;
}

/**
 * What an out-of-hours alert says about acknowledgement: the link (and, where two-way SMS is
 * configured, the reply) that acknowledges it; or who already acknowledged the clock; and, for
 * an escalation, who was alerted and did not acknowledge.
 */
export interface AlertText {
  /** The ack link (`<base>/a/<token>`). */
  ackLink?: string;
  /** Two-way SMS is configured: the SMS says "Reply YES to acknowledge". */
  replyYes?: boolean;
  /** The clock was already acknowledged: by whom (a role) and when. */
  acknowledged?: { role: string; at: Date };
  /** An escalation: the role alerted first, and when, who has not acknowledged. */
  unacknowledged?: { role: string; since: Date };
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
  /** The parts the HTML was made from (a provider with its own layout renders them itself). */
  layout?: EmailLayout;
  /** RFC 5545 text (`METHOD:REQUEST`), when the reminder carries an invitation. */
  ics?: string;
}

/** Fills `{caseId}` in the authority's case URL template. */
export function caseLink(template: string, caseId: string): string {
  return template.replaceAll('{caseId}', encodeURIComponent(caseId));
}

interface UkParts {
  weekday: string;
  day: string;
  month: string;
  year: string;
  hour: string;
  minute: string;
  zone: 'GMT' | 'BST';
}

/**
 * UK wall-time parts from the calendar's own Europe/London offsets: an `Intl.DateTimeFormat`
 * per message was the costliest step of composing one (a test checks the two agree).
 */
function ukParts(at: Date, style: 'long' | 'short'): UkParts {
  const offset = offsetAt(at.getTime());
  const wall = new Date(at.getTime() + offset);
  // WEEKDAYS runs Monday to Sunday (ISO); getUTCDay() counts from Sunday.
  const weekday = WEEKDAYS[(wall.getUTCDay() + 6) % 7] as string;
  const month = MONTHS[wall.getUTCMonth()] as string;
  return {
    weekday: style === 'long' ? weekday : weekday.slice(0, 3),
    day: String(wall.getUTCDate()),
    month: style === 'long' ? month : month.slice(0, 3),
    year: String(wall.getUTCFullYear()),
    hour: String(wall.getUTCHours()).padStart(2, '0'),
    minute: String(wall.getUTCMinutes()).padStart(2, '0'),
    zone: offset === 0 ? 'GMT' : 'BST',
  };
}

/** "Tuesday 26 May 2026, 17:00 (BST)". */
export function formatUkLong(at: Date): string {
  const p = ukParts(at, 'long');
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${p.zone})`;
}

/** "Tue 26 May 17:00 BST" (SMS). */
export function formatUkShort(at: Date): string {
  const p = ukParts(at, 'short');
  return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute} ${p.zone}`;
}

/**
 * How late, in words: minutes under an hour, hours under two days, then days (elapsed time,
 * rounded down): "under a minute", "45 minutes", "30 hours", "3 days".
 */
export function formatLateness(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return unit(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return unit(hours, 'hour');
  return unit(Math.floor(hours / 24), 'day');
}

/** A clock's name in a message: its title, with its stage's name when it has stages. */
export function clockName(input: Pick<MessageInput, 'title' | 'stageName'>): string {
  return input.stageName === undefined ? input.title : `${input.title} (${input.stageName})`;
}

function headline(input: MessageInput): string {
  const clock = clockName(input);
  switch (input.moment) {
    case 'start':
      return `${clock} started`;
    case 'before':
      return `${clock} due soon`;
    case 'on-day':
      return `${clock} due today`;
    case 'due':
      return `${clock} due now`;
    case 'overdue':
      return `${clock} overdue`;
    case 'breach':
      return `${clock} BREACHED, ${formatLateness(input.lateMs ?? 0)} late`;
    case 'cancelled':
      return `${clock}: invitation withdrawn`;
  }
}

const FALLBACK_LINE =
  'This reminder reached nobody it was meant for (or nobody was on the EDT rota): it comes to the service’s duty inbox instead.';

/** The alert's lines: who has not acknowledged (an escalation), who did, how to acknowledge. */
function alertLines(alert: AlertText | undefined, channel: 'email' | 'sms'): string[] {
  if (alert === undefined) return [];
  const when = (at: Date) => formatUkShort(at);
  const lines: string[] = [];
  if (alert.unacknowledged !== undefined)
    lines.push(
      `Not acknowledged: ${alert.unacknowledged.role} was alerted at ${when(alert.unacknowledged.since)}.`,
    );
  if (alert.acknowledged !== undefined)
    lines.push(`Acknowledged by ${alert.acknowledged.role} at ${when(alert.acknowledged.at)}.`);
  if (alert.ackLink !== undefined) {
    lines.push(
      channel === 'sms'
        ? `Ack: ${alert.ackLink}${alert.replyYes === true ? ' Reply YES to acknowledge.' : ''}`
        : `Acknowledge it (say you are on it): ${alert.ackLink}${alert.replyYes === true ? ' — or reply YES to the text message.' : ''}`,
    );
  }
  return lines;
}

export function renderEmail(input: MessageInput): EmailContent {
  const notAcked = input.alert?.unacknowledged === undefined ? '' : 'NOT ACKNOWLEDGED: ';
  const prefix = `${input.gaps === undefined ? '' : 'UNROUTED: '}${notAcked}${input.urgent ? 'URGENT: ' : ''}`;
  const due = formatUkLong(input.dueAt);
  const subject = `${prefix}${input.caseId}: ${headline(input)} — ${due}`;
  const edtLine = input.edt
    ? 'You are receiving this as the Emergency Duty Team manager on call; the day team will get a digest at the next opening.'
    : undefined;
  const gaps = input.gaps ?? [];
  const gapLines =
    input.gaps === undefined
      ? []
      : [FALLBACK_LINE, ...gaps.map((g) => `- Missing: ${g.missing}. To fix: ${g.fix}.`), ''];
  const lines = [
    // The text body opens with the headline too (BREACHED, due soon, …), as the HTML's h1.
    `${prefix}${headline(input)}`,
    '',
    ...gapLines,
    `Case: ${input.caseId}`,
    `Clock: ${clockName(input)}`,
    `Due: ${due}`,
    ...(input.moment === 'breach'
      ? [`Late: ${formatLateness(input.lateMs ?? 0)} past the due time, not recorded as met`]
      : []),
    `What to do: ${input.action}`,
    `Open the case: ${input.link}`,
    ...(input.alert === undefined ? [] : ['', ...alertLines(input.alert, 'email')]),
    ...(edtLine === undefined ? [] : ['', edtLine]),
    '',
    'Sent by Timescales. This message carries the case reference only; see the case record for details.',
  ];
  const layout: EmailLayout = {
    authority: input.authority,
    heading: `${prefix}${headline(input)}`,
    urgent: input.urgent || input.moment === 'breach',
    lead: [
      ...(input.gaps === undefined ? [] : [FALLBACK_LINE]),
      ...alertLines({ ...input.alert, ackLink: undefined }, 'email'),
    ],
    list: gaps.map((g) => `Missing: ${g.missing}. To fix: ${g.fix}.`),
    facts: [
      ['Case', input.caseId],
      ['Clock', clockName(input)],
      ['Due', due],
      ...(input.moment === 'breach'
        ? [['Late', `${formatLateness(input.lateMs ?? 0)} past the due time`] as const]
        : []),
    ],
    firstStep: input.action,
    link: { href: input.link, text: `Open case ${input.caseId}` },
    actions:
      input.alert?.ackLink === undefined
        ? []
        : [
            {
              href: input.alert.ackLink,
              text: 'Acknowledge this alert (say you are on it)',
              ...(input.alert.replyYes === true
                ? { trailing: ' — or reply YES to the text message.' }
                : {}),
            },
          ],
    after: edtLine === undefined ? [] : [edtLine],
    footer: SENT_BY,
  };
  const html = emailHtml(layout);
  const content: EmailContent = { subject, text: `${lines.join('\n')}\n`, html, layout };
  if (input.invite !== undefined)
    content.ics = renderInvitation(
      {
        summary: `${clockName(input)} - ${input.caseId}`,
        description: `${input.action} Case: ${input.caseId}. ${input.link}`,
        url: input.link,
        end: input.dueAt,
      },
      input.invite,
    );
  return content;
}

const SENT_BY =
  'Sent by Timescales. This message carries the case reference only; see the case record for details.';

/**
 * SMS text, 160 characters where possible: details are dropped before the link is. An alert's
 * ack link (and "Reply YES") outranks the case link: the email carries both.
 */
export function renderSms(input: MessageInput): string {
  const notAcked = input.alert?.unacknowledged === undefined ? '' : 'NOT ACKED ';
  const prefix = `${input.gaps === undefined ? '' : 'UNROUTED '}${notAcked}${input.urgent ? 'URGENT ' : ''}`;
  const head = `${prefix}${input.caseId}: ${headline(input)}. Due ${formatUkShort(input.dueAt)}.`;
  const fix = (input.gaps ?? []).map((g) => `Fix: ${g.fix}.`).join(' ');
  const short =
    input.moment === 'breach'
      ? `${prefix}${input.caseId}: ${input.title} BREACHED ${formatLateness(input.lateMs ?? 0)} late`
      : `${prefix}${input.caseId}: ${input.title} due ${formatUkShort(input.dueAt)}`;
  const candidates =
    input.alert === undefined
      ? [
          ...(fix === '' ? [] : [`${head} ${fix} ${input.link}`, `${short}. ${fix} ${input.link}`]),
          `${head} ${input.action} ${input.link}`,
          `${head} ${input.link}`,
          `${short} ${input.link}`,
        ]
      : alertSms(input.alert, head, short, input.link);
  return candidates.find((text) => text.length <= 160) ?? (candidates.at(-1) as string);
}

/** An alert's SMS, longest first: the ack part is kept to the last, the case link dropped first. */
function alertSms(alert: AlertText, head: string, short: string, link: string): string[] {
  const lines = alertLines(alert, 'sms');
  const ack = alert.ackLink === undefined ? undefined : (lines.pop() as string);
  const tail = (...parts: (string | undefined)[]) =>
    parts.filter((p) => p !== undefined && p !== '').join(' ');
  const said = lines.join(' ');
  if (ack === undefined)
    return [tail(head, said, link), tail(short, said, link), tail(short, said)];
  const bare = `Ack: ${alert.ackLink}`;
  return [
    tail(head, said, ack, link),
    tail(head, said, ack),
    tail(short, said, ack),
    tail(short, ack),
    tail(short, bare),
  ];
}
