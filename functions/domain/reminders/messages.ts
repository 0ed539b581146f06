/**
 * Message rendering (pure): email (HTML + plain text, optional iCalendar invitation), SMS and
 * the overnight digest. Messages carry the case reference, the clock, the due time in UK
 * local time, what to do and a link — never a child's or family member's name (we hold none).
 */
import { MONTHS, WEEKDAYS } from '#calendar/days.js';
import { offsetAt } from '#calendar/london.js';

export type ReminderMoment = 'start' | 'before' | 'on-day' | 'due' | 'overdue';

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
  /** Set for supervisions: an invitation attached to the email. */
  invite?: { uid: string; organizer: string; attendee: string; now: Date };
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
  }
}

export function renderEmail(input: MessageInput): EmailContent {
  const prefix = input.urgent ? 'URGENT: ' : '';
  const due = formatUkLong(input.dueAt);
  const subject = `${prefix}${input.caseId}: ${headline(input)} — ${due}`;
  const edtLine = input.edt
    ? 'You are receiving this as the Emergency Duty Team manager on call; the day team will get a digest at the next opening.'
    : undefined;
  const lines = [
    `Case: ${input.caseId}`,
    `Clock: ${clockName(input)}`,
    `Due: ${due}`,
    `What to do: ${input.action}`,
    `Open the case: ${input.link}`,
    ...(edtLine === undefined ? [] : ['', edtLine]),
    '',
    'Sent by Timescales. This message carries the case reference only; see the case record for details.',
  ];
  const html = [
    '<!doctype html><html lang="en-GB"><body>',
    `<h1>${escapeHtml(prefix + headline(input))}</h1>`,
    '<table>',
    row('Case', escapeHtml(input.caseId)),
    row('Clock', escapeHtml(clockName(input))),
    row('Due', escapeHtml(due)),
    row('What to do', escapeHtml(input.action)),
    '</table>',
    `<p><a href="${escapeHtml(input.link)}">Open case ${escapeHtml(input.caseId)}</a></p>`,
    ...(edtLine === undefined ? [] : [`<p>${escapeHtml(edtLine)}</p>`]),
    '<p>Sent by Timescales. This message carries the case reference only; see the case record for details.</p>',
    '</body></html>',
  ].join('\n');
  const content: EmailContent = { subject, text: `${lines.join('\n')}\n`, html };
  if (input.invite !== undefined) content.ics = renderInvitation(input, input.invite);
  return content;
}

function row(label: string, value: string): string {
  return `<tr><th scope="row" align="left">${label}</th><td>${value}</td></tr>`;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** SMS text, 160 characters where possible: details are dropped before the link is. */
export function renderSms(input: MessageInput): string {
  const prefix = input.urgent ? 'URGENT ' : '';
  const head = `${prefix}${input.caseId}: ${headline(input)}. Due ${formatUkShort(input.dueAt)}.`;
  const candidates = [
    `${head} ${input.action} ${input.link}`,
    `${head} ${input.link}`,
    `${prefix}${input.caseId}: ${input.title} due ${formatUkShort(input.dueAt)} ${input.link}`,
  ];
  return candidates.find((text) => text.length <= 160) ?? (candidates.at(-1) as string);
}

export interface DigestItem {
  caseId: string;
  title: string;
  stageName?: string;
  dueAt: Date;
  alertedAt: Date;
  link: string;
}

/** The one overnight digest: what the EDT was alerted to, oldest first. */
export function renderDigest(items: readonly DigestItem[], team: string): EmailContent {
  const sorted = [...items].sort((a, b) => a.alertedAt.getTime() - b.alertedAt.getTime());
  const subject = `Overnight EDT alerts for ${team}: ${sorted.length} urgent reminder${sorted.length === 1 ? '' : 's'}`;
  const text = [
    `The Emergency Duty Team was alerted out of hours to ${sorted.length} urgent reminder${sorted.length === 1 ? '' : 's'}:`,
    '',
    ...sorted.map(
      (i) =>
        `- ${i.caseId}: ${clockName(i)}, due ${formatUkLong(i.dueAt)} (EDT alerted ${formatUkLong(i.alertedAt)}) ${i.link}`,
    ),
    '',
    'Sent by Timescales.',
  ].join('\n');
  const html = [
    '<!doctype html><html lang="en-GB"><body>',
    `<h1>${escapeHtml(subject)}</h1>`,
    '<ul>',
    ...sorted.map(
      (i) =>
        `<li><a href="${escapeHtml(i.link)}">${escapeHtml(i.caseId)}</a>: ${escapeHtml(clockName(i))}, due ${escapeHtml(formatUkLong(i.dueAt))} (EDT alerted ${escapeHtml(formatUkLong(i.alertedAt))})</li>`,
    ),
    '</ul>',
    '<p>Sent by Timescales.</p>',
    '</body></html>',
  ].join('\n');
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

/**
 * An invitation to hold the supervision: a one-hour slot ending at the due time (close of
 * business on the last allowed day), which the recipient moves to a time that suits.
 */
export function renderInvitation(
  input: MessageInput,
  invite: NonNullable<MessageInput['invite']>,
): string {
  const start = new Date(input.dueAt.getTime() - 3_600_000);
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//Timescales//Reminders//EN',
    'CALSCALE:GREGORIAN',
    'METHOD:REQUEST',
    'BEGIN:VEVENT',
    `UID:${invite.uid}`,
    `DTSTAMP:${icsInstant(invite.now)}`,
    `DTSTART:${icsInstant(start)}`,
    `DTEND:${icsInstant(input.dueAt)}`,
    `SUMMARY:${icsText(`${clockName(input)} - ${input.caseId}`)}`,
    `DESCRIPTION:${icsText(`${input.action} Case: ${input.caseId}. ${input.link}`)}`,
    `URL:${input.link}`,
    `ORGANIZER:mailto:${invite.organizer}`,
    `ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:${invite.attendee}`,
    'STATUS:CONFIRMED',
    'TRANSP:OPAQUE',
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return `${lines.map(fold).join('\r\n')}\r\n`;
}
