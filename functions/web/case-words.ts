/**
 * A case's trail in words (the glossary's), for its page: each audit line as when, what,
 * which clock and the detail a manager needs; and per clock, what was sent to whom, who was
 * told because nobody acknowledged, and who acknowledged. Pure: the case's audit lines, the
 * directory's names and the case's workers in, sentences out — no codes, no ISO instants.
 */

import { gapWords } from '#kernel/gap-words.js';
import {
  auditLabel,
  capitalised,
  channelLabel,
  clockLabel,
  formatUkLong,
  personLabel,
  reasonLabel,
  roleLabel,
  stepLabel,
  tierLabel,
} from '#kernel/glossary.js';
import type { AuditRecord } from '#kernel/records.js';
import type { ReminderPlans } from '#kernel/reminders/types.js';

/** What the words need to know: names, who holds which role, and each clock's rule. */
export interface CaseWordsContext {
  names: Readonly<Record<string, string>>;
  workers: readonly { personId: string; role: string }[];
  /** The rule of each deadline on the case, by deadline id. */
  rules: ReadonlyMap<string, string>;
  plans: ReminderPlans;
}

/** One line of the case's trail, in words. */
export interface AuditLine {
  at: string;
  what: string;
  clock: string;
  detail: string;
}

/** One message (or set of messages to one person) sent about a clock. */
export interface SendLine {
  at: string;
  /** The step, e.g. "When half the time has passed". */
  step: string;
  /** Who it went to and in what capacity, e.g. "EDT Manager One (EDT manager on call)". */
  to: string;
  /** "text message and email". */
  by: string;
  /** How the provider says it went, when known (filled where delivery receipts are kept). */
  delivery?: unknown;
}

/** What was sent about one clock (escalations to the duty inbox among it), and who acknowledged. */
export interface ClockMessages {
  sent: SendLine[];
  /** "Acknowledged by EDT Manager One (the EDT manager on call) on …", or that nobody has. */
  acknowledged?: string;
}

const detailOf = (a: AuditRecord) => (a.detail ?? {}) as Record<string, unknown>;
const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
const list = (parts: readonly string[]) =>
  parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}`;

/** The step of a reminder from its id (`<deadlineId>.<step>.<due minute>`). */
function stepOf(reminderId: string | undefined, deadlineId: string | undefined): string {
  if (reminderId === undefined || deadlineId === undefined) return '';
  return reminderId.startsWith(`${deadlineId}.`)
    ? (reminderId.slice(deadlineId.length + 1).split('.')[0] ?? '')
    : '';
}

/** A person and how the message reached them: "LADO One (LADO)", "EDT Manager One (EDT manager on call)". */
function recipient(d: Record<string, unknown>, ctx: CaseWordsContext): string {
  const personId = text(d.personId);
  if (personId === undefined) return '';
  const name = personLabel(personId, ctx.names);
  if (personId === '@fallback') return name;
  const via = text(d.via);
  if (via === 'edt') return `${name} (EDT manager on call)`;
  if (via === 'delegate') {
    const forId = text(d.forPersonId);
    return `${name} (covering for ${forId === undefined ? 'someone away' : personLabel(forId, ctx.names)})`;
  }
  const roles = ctx.workers.filter((w) => w.personId === personId).map((w) => roleLabel(w.role));
  return roles.length === 0 ? name : `${name} (${list(roles)})`;
}

function stepWords(a: AuditRecord, ctx: CaseWordsContext): string {
  const d = detailOf(a);
  const step = text(d.step) ?? stepOf(text(d.reminderId), a.deadlineId);
  const rule = a.deadlineId === undefined ? undefined : ctx.rules.get(a.deadlineId);
  return step === '' ? '' : stepLabel(step, rule === undefined ? undefined : ctx.plans[rule]);
}

/** A routing gap's words, naming whose manager (or whose number) was missing. */
function gapOf(d: Record<string, unknown>, at: Date, ctx: CaseWordsContext): string {
  const personId = text(d.personId);
  const name = personId === undefined ? undefined : ctx.names[personId];
  const words = gapWords(
    { reason: String(d.reason), role: text(d.role), personId, channel: text(d.channel) },
    at,
    name,
  );
  return `${words.missing}. ${words.fix}.`;
}

/** The detail of one audit line, in words. */
function detailWords(a: AuditRecord, ctx: CaseWordsContext): string {
  const d = detailOf(a);
  const at = new Date(a.at);
  const when = (v: unknown) => (typeof v === 'string' ? formatUkLong(new Date(v)) : '');
  const step = stepWords(a, ctx);
  const channel = text(d.channel) === undefined ? '' : ` by ${channelLabel(String(d.channel))}`;
  const reason = text(d.reason) === undefined ? '' : reasonLabel(String(d.reason));
  switch (a.kind) {
    case 'case-opened':
    case 'case-updated': {
      const changes = (d.changes ?? {}) as Record<string, { new?: unknown }>;
      const workers = Array.isArray(changes.workers?.new)
        ? (changes.workers.new as { personId: string; role: string }[]).map(
            (w) => `${personLabel(w.personId, ctx.names)} (${roleLabel(w.role)})`,
          )
        : [];
      return [
        typeof d.team === 'string' ? `Team ${d.team}` : '',
        workers.length > 0 ? `named: ${list(workers)}` : '',
      ]
        .filter((p) => p !== '')
        .join('; ');
    }
    case 'started':
    case 'breached':
    case 'breached-on-arrival':
      return typeof d.dueAt === 'string' ? `Due ${when(d.dueAt)}` : '';
    case 'recomputed':
      return `Due time moved from ${when(d.oldDueAt)} to ${when(d.newDueAt)}${reason === '' ? '' : ` (${reason})`}`;
    case 'reminder-planned':
      return `${step}: planned for ${when(d.fireAt)}`;
    case 'reminder-cancelled':
    case 'reminder-fired':
    case 'reminder-skipped':
      return step;
    case 'reminder-sent':
      if (typeof d.digest === 'string')
        return `Morning summary to ${list(((d.personIds ?? []) as string[]).map((p) => personLabel(p, ctx.names)))}`;
      return `${step}: to ${recipient(d, ctx)}${channel}`;
    case 'reminder-rerouted':
      return `${step}: to ${recipient(d, ctx)}${channel} (${reason})`;
    case 'reminder-deferred':
      return `${step}: to ${recipient(d, ctx)}, held until ${when(d.until)}`;
    case 'reminder-failed':
      return d.channel === undefined || d.reason === 'no-contact'
        ? `${step}: ${gapOf(d, at, ctx)}`
        : `${step}: to ${recipient(d, ctx)}${channel} (${reason})`;
    case 'alert-sent':
      return `To ${recipient({ ...d, via: d.tier === 1 ? 'edt' : d.via }, ctx) || tierLabel(String(d.tier))}${channel}`;
    case 'alert-acknowledged':
      return acknowledgedBy(a, ctx);
    case 'alert-escalated':
      return `${capitalised(tierLabel(String(d.tier)))} was told${reason === '' ? '' : ` (${reason})`}`;
    default:
      return capitalised(reason);
  }
}

/** "EDT Manager One (the EDT manager on call), by the alert’s link". */
function acknowledgedBy(a: AuditRecord, ctx: CaseWordsContext): string {
  const d = detailOf(a);
  const personId = text(d.personId);
  const by = text(d.by);
  const how =
    d.via === 'sms' ? 'by replying YES' : d.via === 'link' ? 'with the alert’s link' : undefined;
  const who =
    personId === undefined
      ? (by ?? 'the case system')
      : `${personLabel(personId, ctx.names)}${by === undefined ? '' : ` (${by})`}`;
  return `${capitalised(who)}${how === undefined ? '' : `, ${how}`}`;
}

/** Channels as people read them, the text message first (it is the one sent first). */
export function channelsInOrder(channels: readonly string[]): string[] {
  return [...channels].sort((a, b) => (a === 'sms' ? -1 : b === 'sms' ? 1 : 0)).map(channelLabel);
}

/** Why an escalation's alert went: nobody acknowledged (and why it skipped a tier). */
function escalatedWhy(alertId: unknown, lines: readonly AuditRecord[]): string {
  const escalated = lines.find(
    (a) => a.kind === 'alert-escalated' && detailOf(a).alertId === alertId,
  );
  const reason = escalated === undefined ? undefined : text(detailOf(escalated).reason);
  return `Nobody acknowledged the alert${reason === undefined ? '' : ` (${reasonLabel(reason)})`}`;
}

/** The case's whole trail in words, newest first. */
export function auditLines(audit: readonly AuditRecord[], ctx: CaseWordsContext): AuditLine[] {
  const lines = audit
    .map((a, i) => ({ a, i }))
    .sort((x, y) => y.a.at.localeCompare(x.a.at) || y.i - x.i)
    .map(({ a }) => {
      const rule = a.deadlineId === undefined ? undefined : ctx.rules.get(a.deadlineId);
      return {
        at: a.at,
        what: auditLabel(a.kind),
        clock: rule === undefined ? '' : clockLabel(rule, ctx.plans),
        detail: detailWords(a, ctx),
      };
    });
  // Two lines that read the same at the same minute say one thing (a gap met twice by one step).
  const minute = (l: AuditLine) => l.at.slice(0, 16);
  return lines.filter(
    (l, i) =>
      i === 0 ||
      !(
        minute(lines[i - 1] as AuditLine) === minute(l) &&
        lines[i - 1]?.what === l.what &&
        lines[i - 1]?.detail === l.detail
      ),
  );
}

/** What was sent about one clock, oldest first; who was told because nobody acknowledged; who did. */
export function clockMessages(
  deadlineId: string,
  audit: readonly AuditRecord[],
  ctx: CaseWordsContext,
): ClockMessages {
  const mine = audit.filter((a) => a.deadlineId === deadlineId);
  const sent = new Map<string, SendLine & { channels: string[] }>();
  for (const a of mine) {
    const d = detailOf(a);
    if (a.kind !== 'reminder-sent' && !(a.kind === 'alert-sent' && d.personId === '@fallback'))
      continue;
    const key = `${String(d.reminderId ?? d.alertId)}#${String(d.personId)}`;
    const line = sent.get(key) ?? {
      at: a.at,
      step:
        a.kind === 'alert-sent' ? escalatedWhy(d.alertId, mine) : capitalised(stepWords(a, ctx)),
      to: capitalised(recipient(d, ctx)),
      by: '',
      channels: [],
    };
    const channel = text(d.channel);
    if (channel !== undefined && !line.channels.includes(channel)) line.channels.push(channel);
    sent.set(key, line);
  }
  // The morning summary names the clock's reminders it covered.
  for (const a of audit) {
    const d = detailOf(a);
    const covers = (d.reminderIds ?? []) as string[];
    if (a.kind === 'reminder-sent' && typeof d.digest === 'string')
      if (covers.some((id) => id.startsWith(`${deadlineId}.`)))
        sent.set(`${d.digest}`, {
          at: a.at,
          step: 'Morning summary of the alerts out of hours',
          to: list(((d.personIds ?? []) as string[]).map((p) => recipient({ personId: p }, ctx))),
          by: 'email',
          channels: [],
        });
  }
  const acks = mine.filter((a) => a.kind === 'alert-acknowledged');
  const alerts = mine.filter((a) => a.kind === 'alert-sent');
  const last = acks.at(-1);
  // An acknowledgement covers the alerts before it; a breach's alert after it needs its own.
  const since = last === undefined ? alerts : alerts.filter((a) => a.at > last.at);
  const acknowledged = [
    last === undefined
      ? undefined
      : `Acknowledged on ${formatUkLong(new Date(last.at))} by ${acknowledgedBy(last, ctx)}.`,
    since.length === 0
      ? undefined
      : last === undefined
        ? 'Nobody has acknowledged the alerts.'
        : 'Nobody has acknowledged the alerts sent since.',
  ]
    .filter((t) => t !== undefined)
    .join(' ');
  return {
    sent: [...sent.values()]
      .sort((x, y) => x.at.localeCompare(y.at))
      .map(({ channels, ...line }) => ({
        ...line,
        by: capitalised(line.by === '' ? list(channelsInOrder(channels)) : line.by),
      })),
    ...(acknowledged === '' ? {} : { acknowledged }),
  };
}
