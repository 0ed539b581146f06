/**
 * Message rendering (pure): email (HTML + plain text, optional iCalendar invitation), SMS and
 * the overnight digest. Messages carry the case reference, the clock, the due time in UK
 * local time, what to do and a link — never a child's or family member's name (we hold none).
 */
import { MONTHS, WEEKDAYS } from '../calendar/days.js';
import { type Calendar, CalendarRangeError } from '../calendar/index.js';
import { offsetAt } from '../calendar/london.js';
import { type EmailCell, emailHtml, escapeHtml } from './email-layout.js';

export { escapeHtml };

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

/**
 * One supervision occurrence's invitation: one `uid` per occurrence, `sequence` rising when
 * its time changes, `CANCEL` when it is met, cancelled or the case closes.
 */
export interface Invitation {
  uid: string;
  sequence: number;
  method: 'REQUEST' | 'CANCEL';
  organizer: string;
  attendee: string;
  now: Date;
}

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
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

function clockName(input: Pick<MessageInput, 'title' | 'stageName'>): string {
  return input.stageName === undefined ? input.title : `${input.title} (${input.stageName})`;
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
  const html = emailHtml({
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
  });
  const content: EmailContent = { subject, text: `${lines.join('\n')}\n`, html };
  if (input.invite !== undefined) content.ics = renderInvitation(input, input.invite);
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

/** What a clock is now, for the morning digest. */
export type DigestStatus =
  | { kind: 'open' }
  | { kind: 'met'; at: Date }
  | { kind: 'met-late'; at: Date; lateMs: number }
  | { kind: 'breached'; lateMs: number }
  | { kind: 'cancelled' }
  | { kind: 'unknown' };

/** One clock in the morning digest: its status now and every alert the EDT manager got for it. */
export interface DigestClock {
  caseId: string;
  title: string;
  stageName?: string;
  dueAt: Date;
  status: DigestStatus;
  alerts: readonly { at: Date; moment: ReminderMoment }[];
  link: string;
  /**
   * The clock's alerts and acknowledgement, when alerts are tracked: who acknowledged and when
   * (none: not acknowledged), and where nobody's acknowledgement took them (roles, in order).
   */
  acknowledgement?: {
    acknowledged?: { role: string; at: Date };
    escalations: readonly { role: string; at: Date }[];
  };
}

/** The stretch of closed time a morning digest covers. */
export type DigestPeriod = 'overnight' | 'weekend' | 'bank holiday weekend' | 'bank holiday';

/**
 * Names the closed time before the opening on `date`, from the calendar: the days between the
 * last working day and `date`. None: overnight; only Saturday and Sunday: weekend; a bank
 * holiday (or closure day) with a weekend: bank holiday weekend; without one: bank holiday.
 */
export function digestPeriod(calendar: Calendar, date: string): DigestPeriod {
  let weekend = false;
  let holiday = false;
  let day = new Date(`${date}T12:00:00Z`);
  try {
    for (let i = 0; i < 31; i++) {
      day = new Date(day.getTime() - 86_400_000);
      const iso = day.toISOString().slice(0, 10);
      if (calendar.isWorkingDay(iso)) break;
      const weekday = day.getUTCDay();
      if (weekday === 0 || weekday === 6) weekend = true;
      else holiday = true;
    }
  } catch (error) {
    if (!(error instanceof CalendarRangeError)) throw error;
  }
  if (holiday) return weekend ? 'bank holiday weekend' : 'bank holiday';
  return weekend ? 'weekend' : 'overnight';
}

function statusText(status: DigestStatus, dueAt: Date): string {
  switch (status.kind) {
    case 'open':
      return `still open, due ${formatUkLong(dueAt)}`;
    case 'met':
      return `met on time (${formatUkLong(status.at)})`;
    case 'met-late':
      return `met late, ${formatLateness(status.lateMs)} after the due time (${formatUkLong(status.at)})`;
    case 'breached':
      return `BREACHED, ${formatLateness(status.lateMs)} late and not yet met`;
    case 'cancelled':
      return 'cancelled';
    case 'unknown':
      return 'status unknown (the case or clock is no longer held)';
  }
}

/** The digest's groups, most pressing first. */
const DIGEST_GROUPS = [
  ['breached', 'Breached, not yet met'],
  ['open', 'Still open'],
  ['met-late', 'Met late'],
  ['met', 'Met on time'],
  ['cancelled', 'Cancelled'],
  ['unknown', 'Status unknown'],
] as const satisfies readonly (readonly [DigestStatus['kind'], string])[];

/** Where the clock's unacknowledged alerts went, and who acknowledged it and when. */
function acknowledgementText(c: DigestClock): string {
  const a = c.acknowledgement;
  if (a === undefined) return '';
  const escalated =
    a.escalations.length === 0
      ? ''
      : ` Escalated to ${a.escalations.map((e) => `${e.role} (${formatUkShort(e.at)})`).join(', ')}.`;
  const acked =
    a.acknowledged === undefined
      ? ' Not acknowledged.'
      : ` Acknowledged by ${a.acknowledged.role} at ${formatUkShort(a.acknowledged.at)}.`;
  return `${escalated}${acked}`;
}

const MOMENT_WORDS: Record<ReminderMoment, string> = {
  start: 'started',
  before: 'due soon',
  'on-day': 'due today',
  due: 'due now',
  overdue: 'overdue',
  breach: 'BREACHED',
  cancelled: 'invitation withdrawn',
};

/**
 * The morning digest of what the EDT was alerted to while the team was closed: one line per
 * clock (not per alert) with its status now, the alerts sent for it and its link, oldest
 * first (clocks first alerted in the same minute by case reference). The subject names the period ("overnight", "weekend", "bank holiday weekend").
 */
export function renderDigest(
  clocks: readonly DigestClock[],
  team: string,
  period: DigestPeriod,
  authority?: string,
): EmailContent {
  // By first alert to the minute (alerts of one firing instant land a few ms apart), then case.
  const firstAlert = (c: DigestClock) =>
    Math.floor(Math.min(...c.alerts.map((a) => a.at.getTime())) / 60_000);
  const sorted = [...clocks].sort(
    (a, b) =>
      firstAlert(a) - firstAlert(b) || (a.caseId < b.caseId ? -1 : a.caseId > b.caseId ? 1 : 0),
  );
  const n = sorted.length;
  const Period = period.charAt(0).toUpperCase() + period.slice(1);
  const subject = `${Period} EDT alerts for ${team}: ${n} clock${n === 1 ? '' : 's'}`;
  const alertsOf = (c: DigestClock) =>
    [...c.alerts]
      .sort((a, b) => a.at.getTime() - b.at.getTime())
      .map((a) => `${formatUkShort(a.at)} (${MOMENT_WORDS[a.moment]})`)
      .join(', ');
  const line = (c: DigestClock) =>
    `${c.caseId}: ${clockName(c)} — ${statusText(c.status, c.dueAt)}. EDT alerted: ${alertsOf(c)}.${acknowledgementText(c)}`;
  const text = [
    `The Emergency Duty Team was alerted to ${n} clock${n === 1 ? '' : 's'} of team ${team} while the team was closed (${period}):`,
    '',
    ...sorted.map((c) => `- ${line(c)} ${c.link}`),
    '',
    'Sent by Timescales.',
  ].join('\n');
  // The HTML groups the same lines by status, most pressing first.
  const groups = DIGEST_GROUPS.map(([kind, title]) => ({
    title,
    rows: sorted
      .filter((c) => c.status.kind === kind)
      .map((c): EmailCell[] => [
        { href: c.link, text: c.caseId },
        clockName(c),
        statusText(c.status, c.dueAt),
        `${alertsOf(c)}.${acknowledgementText(c)}`,
      ]),
  })).filter((g) => g.rows.length > 0);
  const html = emailHtml({
    authority,
    heading: subject,
    urgent: groups.some((g) => g.title === DIGEST_GROUPS[0][1]),
    lead: [
      `The Emergency Duty Team was alerted to ${n} clock${n === 1 ? '' : 's'} of team ${team} while the team was closed (${period}).`,
    ],
    table: {
      caption: 'What the EDT was told, by status now',
      head: ['Case', 'Clock', 'Status now', 'EDT alerted'],
      groups,
    },
    footer: 'Sent by Timescales. Case references only; see each case record for details.',
  });
  return { subject, text: `${text}\n`, html };
}

/** RFC 5545 basic UTC form: 20260526T160000Z. */
export function icsInstant(at: Date): string {
  return `${at.toISOString().slice(0, 19).replaceAll('-', '').replaceAll(':', '')}Z`;
}

/** Escapes TEXT values (RFC 5545 §3.3.11). */
function icsText(text: string): string {
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll(';', '\\;')
    .replaceAll(',', '\\,')
    .replaceAll('\n', '\\n');
}

/** Folds content lines at 75 octets (RFC 5545 §3.1); our text is ASCII. */
function fold(line: string): string {
  const chunks: string[] = [];
  let rest = line;
  chunks.push(rest.slice(0, 75));
  rest = rest.slice(75);
  while (rest.length > 0) {
    chunks.push(` ${rest.slice(0, 74)}`);
    rest = rest.slice(74);
  }
  return chunks.join('\r\n');
}

/** The invitation's slot: one hour ending at the due time. */
export const INVITATION_SLOT_MS = 3_600_000;

/**
 * An invitation to hold the supervision: a one-hour slot ending at the due time (close of
 * business on the last allowed day), which the recipient moves to a time that suits. The same
 * `uid` for every message about one occurrence, so calendars keep one entry; `CANCEL`
 * withdraws it.
 */
export function renderInvitation(input: MessageInput, invite: Invitation): string {
  const start = new Date(input.dueAt.getTime() - INVITATION_SLOT_MS);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Timescales//Reminders//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${invite.method}`,
    'BEGIN:VEVENT',
    `UID:${invite.uid}`,
    `SEQUENCE:${invite.sequence}`,
    `DTSTAMP:${icsInstant(invite.now)}`,
    `DTSTART:${icsInstant(start)}`,
    `DTEND:${icsInstant(input.dueAt)}`,
    `SUMMARY:${icsText(`${clockName(input)} - ${input.caseId}`)}`,
    `DESCRIPTION:${icsText(`${input.action} Case: ${input.caseId}. ${input.link}`)}`,
    `URL:${input.link}`,
    `ORGANIZER:mailto:${invite.organizer}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${invite.attendee}`,
    invite.method === 'CANCEL' ? 'STATUS:CANCELLED' : 'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
