/**
 * The morning digest (pure): what the EDT was alerted to while a team was closed, one line
 * per clock with its status now, as an email (plain text and HTML grouped by status).
 */
import { type Calendar, CalendarRangeError } from '../calendar/index.js';
import { capitalised, formatLateness, formatUkLong } from '../glossary.js';
import { type EmailCell, type EmailLayout, emailHtml } from './email-layout.js';
import { clockName, type EmailContent, type ReminderMoment, sentBy } from './messages.js';

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

/**
 * Where the clock's unacknowledged alerts went, and who acknowledged it and when: "The duty
 * inbox was told on …, because nobody acknowledged. Nobody has acknowledged it."
 */
function acknowledgementText(c: DigestClock): string {
  const a = c.acknowledgement;
  if (a === undefined) return '';
  const told = new Map<string, Date[]>();
  for (const e of a.escalations) told.set(e.role, [...(told.get(e.role) ?? []), e.at]);
  const escalated = [...told].map(
    ([role, at]) =>
      ` ${capitalised(role)} was told on ${at.map(formatUkLong).join(' and ')}, because nobody had acknowledged.`,
  );
  const acked =
    a.acknowledged === undefined
      ? ' Nobody has acknowledged it.'
      : ` Acknowledged by ${a.acknowledged.role} on ${formatUkLong(a.acknowledged.at)}.`;
  return `${escalated.join('')}${acked}`;
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
      .map((a) => `${MOMENT_WORDS[a.moment]}, ${formatUkLong(a.at)}`)
      .join('; ');
  const line = (c: DigestClock) =>
    `${c.caseId}: ${clockName(c)} — ${statusText(c.status, c.dueAt)}. EDT alerted: ${alertsOf(c)}.${acknowledgementText(c)}`;
  const text = [
    `The Emergency Duty Team was alerted to ${n} clock${n === 1 ? '' : 's'} of team ${team} while the team was closed (${period}):`,
    '',
    ...sorted.map((c) => `- ${line(c)} ${c.link}`),
    '',
    sentBy(authority),
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
  const layout: EmailLayout = {
    authority,
    heading: subject,
    // A summary, not an alarm: blue like any other; its breached clocks come first.
    urgent: false,
    lead: [
      `The Emergency Duty Team was alerted to ${n} clock${n === 1 ? '' : 's'} of team ${team} while the team was closed (${period}).`,
    ],
    table: {
      caption: 'What the EDT was told, by status now',
      head: ['Case', 'Clock', 'Status now', 'EDT alerted'],
      groups,
    },
    footer: sentBy(authority),
  };
  return { subject, text: `${text}\n`, html: emailHtml(layout), layout };
}
