/**
 * A reminder's messages (pure): the email (HTML and plain text, with a supervision's
 * iCalendar invitation from `invitation.ts`) and the SMS; the morning digest is
 * `digest-message.ts`. Messages carry the case reference, the clock, the due time in UK local
 * time, what to do and a link — never a child's or family member's name (we hold none).
 */
import { formatLateness, formatUkBrief, formatUkLong, formatUkShort } from '../glossary.js';
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

/** Something routing could not do, and whom to ask to fix it (for the fallback contact). */
export interface RoutingGapText {
  /** What is missing, e.g. "Nobody is recorded as the case’s LADO". */
  missing: string;
  /** Whom to ask, e.g. "Ask the case system to record the case’s LADO". */
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
  /** The council, named at the top and in the footer of every email, and in texts. */
  authority?: string | undefined;
  /** The council's name in text messages (under 20 characters), when it has one. */
  authorityShortName?: string | undefined;
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

export { formatLateness, formatUkLong, formatUkShort };

/** Fills `{caseId}` in the authority's case URL template. */
export function caseLink(template: string, caseId: string): string {
  return template.replaceAll('{caseId}', encodeURIComponent(caseId));
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
  'This reminder reached nobody it was meant for (or nobody was on the EDT rota), so it comes to the duty inbox instead.';

/** The footer of every email: the service and, where known, the council it works for. */
export function sentBy(authority: string | undefined): string {
  return `Sent by Timescales${authority === undefined ? '' : ` for ${authority}`}. This message carries the case reference only; see the case record for details.`;
}

/** The alert's sentences for an email: who has not acknowledged (an escalation), or who did. */
function alertLines(alert: AlertText | undefined): string[] {
  if (alert === undefined) return [];
  const lines: string[] = [];
  if (alert.unacknowledged !== undefined)
    lines.push(
      `Not acknowledged: ${alert.unacknowledged.role} was alerted on ${formatUkLong(alert.unacknowledged.since)}.`,
    );
  if (alert.acknowledged !== undefined)
    lines.push(
      `Acknowledged by ${alert.acknowledged.role} on ${formatUkLong(alert.acknowledged.at)}.`,
    );
  return lines;
}

/** A gap in the duty inbox's message: what was missing, and whom to ask. */
const gapLine = (g: RoutingGapText) => `${g.missing}. ${g.fix}.`;

export function renderEmail(input: MessageInput): EmailContent {
  const notAcked = input.alert?.unacknowledged === undefined ? '' : 'NOT ACKNOWLEDGED: ';
  const prefix = `${input.gaps === undefined ? '' : 'UNROUTED: '}${notAcked}${input.urgent ? 'URGENT: ' : ''}`;
  const due = formatUkLong(input.dueAt);
  const subject = `${prefix}${input.caseId}: ${headline(input)} — ${due}`;
  const council = input.authority;
  const edtLine = input.edt
    ? `You are receiving this as the Emergency Duty Team manager on call${council === undefined ? '' : ` for ${council}`}; the day team’s manager gets a summary at the next opening.`
    : undefined;
  const gaps = input.gaps ?? [];
  const ack = input.alert?.ackLink;
  const replyYes = input.alert?.replyYes === true ? ' — or reply YES to the text message.' : '';
  const lines = [
    // The text body opens with the headline too (BREACHED, due soon, …), as the HTML's h1.
    `${prefix}${headline(input)}`,
    '',
    ...(input.gaps === undefined ? [] : [FALLBACK_LINE, ...gaps.map((g) => `- ${gapLine(g)}`), '']),
    ...(alertLines(input.alert).length === 0 ? [] : [...alertLines(input.alert), '']),
    `Case: ${input.caseId}`,
    `Clock: ${clockName(input)}`,
    `Due: ${due}`,
    ...(input.moment === 'breach'
      ? [`Late: ${formatLateness(input.lateMs ?? 0)} past the due time, not recorded as met`]
      : []),
    `What to do: ${input.action}`,
    `Open the case: ${input.link}`,
    ...(ack === undefined ? [] : ['', `Acknowledge it (say you are on it): ${ack}${replyYes}`]),
    ...(edtLine === undefined ? [] : ['', edtLine]),
    '',
    sentBy(council),
  ];
  const layout: EmailLayout = {
    authority: council,
    heading: `${prefix}${headline(input)}`,
    urgent: input.urgent || input.moment === 'breach',
    lead: [...(input.gaps === undefined ? [] : [FALLBACK_LINE]), ...alertLines(input.alert)],
    list: gaps.map(gapLine),
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
      ack === undefined
        ? []
        : [
            {
              href: ack,
              text: 'Acknowledge this alert (say you are on it)',
              ...(replyYes === '' ? {} : { trailing: replyYes }),
            },
          ],
    after: edtLine === undefined ? [] : [edtLine],
    footer: sentBy(council),
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

/** The longest SMS a single part carries. */
const SMS_LENGTH = 160;

/**
 * A text message of at most 160 characters where possible, in whole sentences: the council,
 * what is due (and when) and the case; then, as room allows, who has or has not acknowledged,
 * what would fix a gap, what to do, and the case link. The due time is written as long as
 * room allows ("Saturday 25 May 2030, 16:30 (BST)", then "Sat 25 May 16:30 BST", then "Sat
 * 16:30 BST"). An alert's ack link (and "reply YES") outranks the rest and comes last, so no
 * full stop follows a link.
 */
export function renderSms(input: MessageInput): string {
  const council = input.authorityShortName ?? input.authority;
  const unacknowledged = input.alert?.unacknowledged !== undefined;
  const flags = [
    input.gaps === undefined ? undefined : 'UNROUTED',
    unacknowledged ? 'NOT ACKNOWLEDGED' : undefined,
    // An alert nobody acknowledged is urgent by nature: the room goes to its due time.
    input.urgent && !unacknowledged ? 'URGENT' : undefined,
  ].filter((f) => f !== undefined);
  const lead = `${council === undefined ? '' : `${council}. `}${flags.length === 0 ? '' : `${flags.join(', ')}: `}${input.caseId}`;
  const clock = clockName(input);
  // Before the due time the time is the news; after it, how late (the breach) or that it is overdue.
  const opening = (when: string | undefined) => {
    if (when === undefined) return `${lead} ${headline(input)}.`;
    switch (input.moment) {
      case 'start':
        return `${lead} ${clock} started, due ${when}.`;
      case 'before':
      case 'on-day':
        return `${lead} ${clock} due ${when}.`;
      case 'overdue':
      case 'cancelled':
        return `${lead} ${headline(input)}. Due ${when}.`;
      default:
        return `${lead} ${headline(input)}.`;
    }
  };
  const times = [formatUkLong, formatUkShort, formatUkBrief].map((f) => opening(f(input.dueAt)));
  const fix = (input.gaps ?? []).map((g) => `${g.fix}.`).join(' ') || undefined;
  const alert = input.alert;
  const said = [
    alert?.unacknowledged === undefined
      ? undefined
      : `Not acknowledged since ${formatUkShort(alert.unacknowledged.since)}.`,
    alert?.acknowledged === undefined
      ? undefined
      : `Acknowledged by ${alert.acknowledged.role} at ${formatUkShort(alert.acknowledged.at)}.`,
  ]
    .filter((l) => l !== undefined)
    .join(' ');
  const caseAt = `Case: ${input.link}`;
  if (alert?.ackLink !== undefined) {
    const ack = `Acknowledge: ${alert.replyYes === true ? 'reply YES or open ' : ''}${alert.ackLink}`;
    const bare = `Acknowledge: ${alert.ackLink}`;
    // The due time outranks "reply YES" (the email says it too); the ack link outranks both.
    return firstFitting([
      ...times.map((t) => [t, said, caseAt, ack]),
      ...times.map((t) => [t, said, ack]),
      ...times.map((t) => [t, ack]),
      ...times.map((t) => [t, bare]),
      [opening(undefined), ack],
      [opening(undefined), bare],
    ]);
  }
  // Who acknowledged, or what would fix a gap, outranks the case link (the email has it).
  const telling = said !== '' || fix !== undefined;
  return firstFitting([
    ...times.map((t) => [t, said, fix, input.action, input.link]),
    ...times.map((t) => [t, said, fix, input.link]),
    ...(telling ? times.map((t) => [t, said, fix]) : []),
    ...times.map((t) => [t, input.link]),
    [opening(undefined), input.link],
  ]);
}

/** The first candidate that fits one text message, else the shortest (the last). */
function firstFitting(candidates: readonly (readonly (string | undefined)[])[]): string {
  // A curly apostrophe is outside the GSM alphabet: one would make every part 70 characters.
  const texts = candidates.map((parts) =>
    parts
      .filter((p): p is string => p !== undefined && p !== '')
      .join(' ')
      .replaceAll('’', "'"),
  );
  return texts.find((t) => t.length <= SMS_LENGTH) ?? (texts.at(-1) as string);
}
