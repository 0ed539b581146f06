/**
 * The one vocabulary of what people read — pages, emails and text messages alike: times in
 * London ("Saturday 25 May 2030, 16:30 (BST)"), clocks by their names in sentence case, the
 * roles people hold on a case, a reminder's step, what happened in a case's trail, why
 * something was not sent, who an alert went to (what a manager can do about a gap is in
 * `gap-words.ts`). Pure:
 * no feature imports it the other way round, and nothing here knows a page from a message.
 *
 * Codes (`p50`, `br1`, `team-manager`, `reminder-rerouted`, `no-manager`) stay in the data and
 * the JSON API; a person reads the words these functions give. A code this file does not know
 * (a newer audit kind, a rule an authority added) reads as its words in sentence case, never
 * as a blank.
 */
import type { WorkerRole } from '#schemas/events.js';
import { MONTHS, WEEKDAYS } from './calendar/days.js';
import { offsetAt } from './calendar/london.js';
import { FALLBACK_PERSON_ID } from './ids.js';
import type { ReminderAt, ReminderPlan, ReminderPlans } from './reminders/types.js';

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

/** "Tuesday 26 May 2026, 17:00 (BST)": how every page and email gives a time. */
export function formatUkLong(at: Date): string {
  const p = ukParts(at, 'long');
  return `${p.weekday} ${p.day} ${p.month} ${p.year}, ${p.hour}:${p.minute} (${p.zone})`;
}

/** "Tue 26 May 17:00 BST": a text message's time when the long form leaves no room. */
export function formatUkShort(at: Date): string {
  const p = ukParts(at, 'short');
  return `${p.weekday} ${p.day} ${p.month} ${p.hour}:${p.minute} ${p.zone}`;
}

/** "Tue 17:00 BST": a text message's time within the week, when nothing longer fits. */
export function formatUkBrief(at: Date): string {
  const p = ukParts(at, 'short');
  return `${p.weekday} ${p.hour}:${p.minute} ${p.zone}`;
}

/** An ISO-8601 instant with its offset, as the calendar's explanations may carry one. */
const ISO_INSTANT = /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:\d\d)/g;

/** Text with every ISO instant in it written as `formatUkLong` writes a time. */
export function ukTimesIn(text: string): string {
  return text.replace(ISO_INSTANT, (iso) => formatUkLong(new Date(iso)));
}

/**
 * How late, in words: minutes under an hour, hours under two days, then days (elapsed time,
 * rounded down): "under a minute", "45 minutes", "30 hours", "3 days".
 */
export function formatLateness(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 60) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** "1 working day", "2 working days". */
export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Words kept in capitals when a code is turned into words. */
const ACRONYMS: Readonly<Record<string, string>> = {
  lado: 'LADO',
  edt: 'EDT',
  cp: 'CP',
  cla: 'CLA',
  sms: 'SMS',
  api: 'API',
  mh: 'mental health',
};

/** A code as words, acronyms kept: "out-of-hours-edt" → "out of hours EDT". */
export function codeWords(code: string): string {
  return code
    .split(/[-_.\s]+/)
    .filter((w) => w !== '')
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase())
    .join(' ');
}

/** A code as words in sentence case: "lado-notification" → "LADO notification". */
export function sentenceCase(code: string): string {
  return capitalised(codeWords(code));
}

/** The first letter in capitals: a label that starts a sentence or a table cell. */
export function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** A clock's name: its reminder plan's title, else its rule's id in words. */
export function clockLabel(rule: string, plans?: ReminderPlans, ruleTitle?: string): string {
  return plans?.[rule]?.title ?? ruleTitle ?? sentenceCase(rule);
}

const ROLE_LABELS: Readonly<Record<WorkerRole, string>> = {
  'allocated-worker': 'allocated worker',
  'co-worker': 'co-worker',
  'team-manager': 'team manager',
  supervisor: 'supervisor',
  'mh-worker': 'mental health worker',
  'mh-supervisor': 'mental health supervisor',
  'building-bridges-worker': 'Building Bridges worker',
  lado: 'LADO',
  'head-of-service': 'head of service',
};

/** A role on a case, as a person says it mid-sentence: "team manager", "LADO". */
export function roleLabel(role: string): string {
  return ROLE_LABELS[role as WorkerRole] ?? codeWords(role);
}

/** How a step's timing reads: "When half the time has passed", "2 working days before". */
function timingLabel(at: ReminderAt): string {
  switch (at.kind) {
    case 'start':
      return 'When the clock started';
    case 'before':
      return 'workingDays' in at
        ? `${plural(at.workingDays, 'working day')} before it is due`
        : `${plural(at.workingHours, 'working hour')} before it is due`;
    case 'fraction':
      return at.fraction === 0.5
        ? 'When half the time has passed'
        : `When ${Math.round(at.fraction * 100)}% of the time has passed`;
    case 'on-day':
      return 'On the day it is due';
    case 'due':
      return 'At the due time';
    case 'after':
      return `${plural(at.workingDays, 'working day')} overdue`;
    case 'breach':
      return at.workingDays === 0
        ? 'When it breached'
        : `Breached: told again, ${plural(at.workingDays, 'working day')} later`;
    case 'cancel-invite':
      return 'Invitation withdrawn';
  }
}

/** The escalation steps of an alert nobody acknowledged (`ESCALATION_STEPS`'s keys). */
const ESCALATION_LABELS: Readonly<Record<string, string>> = {
  esc2: 'Not acknowledged: to the senior manager on call',
  escf: 'Not acknowledged: to the duty inbox',
  esc2b: 'Breach not acknowledged: to the senior manager on call',
  escfb: 'Breach not acknowledged: to the duty inbox',
};

/**
 * A reminder step by its key, in words: the plan's own step when it has it, else what the
 * key's shape says (a breach, its repeats and escalations, an alert's escalation).
 */
export function stepLabel(key: string, plan?: Pick<ReminderPlan, 'steps'>): string {
  const step = plan?.steps.find((s) => s.key === key);
  if (step !== undefined) return timingLabel(step.at);
  if (key === 'breach') return timingLabel({ kind: 'breach', workingDays: 0 });
  const repeat = /^b[re]([0-9]+)$/.exec(key);
  if (repeat !== null) return timingLabel({ kind: 'breach', workingDays: Number(repeat[1]) });
  if (key === 'xinv') return timingLabel({ kind: 'cancel-invite' });
  return ESCALATION_LABELS[key] ?? 'Reminder';
}

const AUDIT_LABELS: Readonly<Record<string, string>> = {
  'case-opened': 'Case opened',
  'case-updated': 'Case updated',
  'case-closed': 'Case closed',
  started: 'Clock started',
  met: 'Met',
  'met-late': 'Met late',
  corrected: 'Corrected',
  breached: 'Breached',
  'breached-on-arrival': 'Breached when it reached us',
  escalated: 'Moved to the next stage',
  cancelled: 'Cancelled',
  recomputed: 'Due time worked out again',
  'supervision-recorded': 'Supervision recorded',
  'early-stop': 'Stop recorded before its start',
  duplicate: 'Already recorded: ignored',
  ignored: 'Ignored',
  warning: 'Warning',
  'reminder-planned': 'Reminder planned',
  'reminder-cancelled': 'Reminder no longer needed',
  'reminder-fired': 'Reminder due',
  'reminder-sent': 'Sent',
  'reminder-deferred': 'Held until working hours',
  'reminder-rerouted': 'Sent to someone else instead',
  'reminder-failed': 'Not sent',
  'reminder-skipped': 'Skipped',
  'reminder-unrouted': 'Reached nobody: the duty inbox was told',
  'alert-sent': 'Alert sent',
  'alert-acknowledged': 'Alert acknowledged',
  'alert-escalated': 'Not acknowledged: escalated',
  'alert-escalation-stopped': 'Escalation stopped',
};

/** What a line of a case's trail records, in words: "Clock started", "Alert acknowledged". */
export function auditLabel(kind: string): string {
  return AUDIT_LABELS[kind] ?? sentenceCase(kind);
}

const REASON_LABELS: Readonly<Record<string, string>> = {
  'out-of-hours-edt': 'out of hours',
  'away-delegate': 'away',
  'unrouted-fallback': 'nobody it was meant for could be reached',
  'no-worker-in-role': 'nobody in that role on the case',
  'no-manager': 'their manager is not in the directory',
  'unknown-person': 'not in the directory',
  'no-edt-on-call': 'nobody on the EDT rota',
  'no-contact': 'no way to reach them',
  'outside-calendar': 'beyond the years the calendar covers',
  'no-tier-2-on-call': 'nobody on call above the EDT manager',
  'no-fallback': 'no duty inbox is set up',
  acknowledged: 'already acknowledged',
  'deadline-met': 'the clock was met',
  'deadline-met-late': 'the clock was met late',
  'deadline-cancelled': 'the clock was cancelled',
  'case-closed': 'the case was closed',
  'superseded-by-breach': 'the breach has its own alert',
  'stale-version': 'the due time had moved',
  'closed-without-joint-supervision': 'closed without a joint supervision in the weeks before',
};

/** Why something was sent elsewhere, not sent or stopped, in words. */
export function reasonLabel(reason: string): string {
  const known = REASON_LABELS[reason];
  if (known !== undefined) return known;
  // The engine's own reasons are already words ("case closed"), or name an event's type.
  return reason.replace(/\b[a-z-]+\.[a-z-]+\b/g, (type) => codeWords(type));
}

/** A channel as people call it. */
export function channelLabel(channel: string): string {
  return channel === 'sms' ? 'text message' : channel === 'email' ? 'email' : channel;
}

/** Who an alert went to, by tier: "the EDT manager on call", "the duty inbox". */
export function tierLabel(tier: string | number): string {
  return TIER_LABELS[String(tier)] ?? 'the duty inbox';
}

const TIER_LABELS: Readonly<Record<string, string>> = {
  '1': 'the EDT manager on call',
  '2': 'the senior manager on call',
  fallback: 'the duty inbox',
  integration: 'the case system',
};

/** A person named on a page: their name from the directory, the duty inbox, or their id. */
export function personLabel(personId: string, names: Readonly<Record<string, string>>): string {
  if (personId === FALLBACK_PERSON_ID) return 'the duty inbox';
  return names[personId] ?? personId;
}
