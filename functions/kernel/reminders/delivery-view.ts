/**
 * Delivery in plain words for the pages (pure): a case's receipts and what was done about
 * each message that did not reach its person, from the case's audit trail; and an unrouted
 * reminder's reason when its messages were not delivered.
 */
import { FALLBACK_PERSON_ID } from '../ids.js';
import type { ChannelName } from '../records.js';
import {
  channelWords,
  type DeliveryAuditLine,
  type DeliveryState,
  deliveryWords,
  FAILED_STATES,
  type FailedState,
  FINAL_STATES,
  type FinalState,
  notDeliveredBecause,
} from './delivery.js';

/** One receipt, or one message the provider refused, on the case page. */
export interface DeliveryRow {
  at: string;
  reminderId: string;
  deadlineId?: string;
  personId: string;
  /** "duty inbox", or the person's name when the directory has it. */
  who: string;
  channel: string;
  state: DeliveryState;
  /** "Delivered", "Not delivered: the phone number is not in use". */
  words: string;
  /** Not delivered: why, without the "Not delivered" the page shows as its tag. */
  reason?: string;
  /** What was done because it was not delivered, in words (absent when delivered). */
  next?: string;
}

const NEXT: Record<string, string> = {
  'other-channel': 'Sent to the same person by their other channel',
  fallback: 'Nobody on the step was reached: the duty inbox was told at once',
  'fallback-already-told': 'The duty inbox had already been told',
  'others-reached': 'Someone else on the step was reached',
  waiting: 'Waiting to hear whether the others on the step were reached',
  escalated: 'Escalated at once to the next person on call',
  nobody: 'Nobody else could be told: this was the duty inbox',
  'moved-on': 'Reported after the clock or the alert had moved on: nothing more was done',
};

/** The case's receipts (and refused sends), oldest first, with what was done about each failure. */
export function deliveryRows(
  lines: readonly (DeliveryAuditLine & { deadlineId?: string })[],
  names: Readonly<Record<string, string>> = {},
): DeliveryRow[] {
  const rows: DeliveryRow[] = [];
  const who = (personId: string) =>
    personId === FALLBACK_PERSON_ID ? 'duty inbox' : (names[personId] ?? personId);
  const outcomes: {
    line: DeliveryAuditLine;
    d: Record<string, unknown>;
    base: Omit<DeliveryRow, 'channel' | 'state' | 'words'>;
  }[] = [];
  for (const line of lines) {
    const d = (line.detail ?? {}) as Record<string, unknown>;
    const personId = typeof d.personId === 'string' ? d.personId : undefined;
    const reminderId = typeof d.reminderId === 'string' ? d.reminderId : undefined;
    if (personId === undefined || reminderId === undefined) continue;
    const base = {
      at: line.at,
      reminderId,
      ...(line.deadlineId === undefined ? {} : { deadlineId: line.deadlineId }),
      personId,
      who: who(personId),
    };
    if (line.kind === 'reminder-delivery') {
      const state = d.state as FinalState;
      const channel = d.channel as ChannelName;
      if (!FINAL_STATES.includes(state) || (channel !== 'email' && channel !== 'sms')) continue;
      const late = d.late === true ? ' (reported late: it changed nothing)' : '';
      rows.push({
        ...base,
        channel: channelWords(channel),
        state,
        words: `${deliveryWords(state, channel)}${late}`,
        ...(state === 'delivered'
          ? {}
          : { reason: `${notDeliveredBecause(state, channel)}${late}` }),
      });
    } else if (line.kind === 'reminder-undelivered') outcomes.push({ line, d, base });
  }
  // What was done goes with the person's failures of that reminder (receipts and follow-ups
  // are written apart, so either may come first in the trail).
  for (const { d, base } of outcomes) {
    const words = NEXT[String(d.outcome ?? '')];
    if (words === undefined) continue;
    const failed = rows.filter(
      (r) =>
        r.personId === base.personId && r.reminderId === base.reminderId && r.state !== 'delivered',
    );
    for (const r of failed) r.next ??= words;
    if (failed.length === 0 && d.digest !== undefined)
      rows.push({
        ...base,
        channel: 'email',
        state: digestState(d.failures),
        words: `The morning digest was not delivered${failuresWords(d.failures)}`,
        reason: `The morning digest${failuresWords(d.failures)}`,
        next: words,
      });
  }
  return rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

function digestState(failures: unknown): FinalState {
  const state = Array.isArray(failures) ? failures[0]?.state : undefined;
  return FINAL_STATES.includes(state) ? state : 'permanent-failure';
}

/** A failure list (`[{channel, state}]`) as ": the email address does not exist …". */
function failuresWords(failures: unknown): string {
  if (!Array.isArray(failures) || failures.length === 0) return '';
  const words = failures
    .filter(
      (f) => (f?.channel === 'email' || f?.channel === 'sms') && FAILED_STATES.includes(f.state),
    )
    .map((f) => notDeliveredBecause(f.state as FailedState, f.channel as ChannelName));
  return words.length === 0 ? '' : `: ${words.join('; ')}`;
}
