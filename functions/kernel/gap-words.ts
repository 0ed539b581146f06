/**
 * What a manager (or the duty inbox) can do about a routing gap, in the glossary's words: what
 * was missing and whom to ask — a role nobody holds, a person the directory lacks, nobody on the
 * rota, a message that was not delivered.
 */

import { capitalised, formatUkLong, reasonLabel, roleLabel } from './glossary.js';
import { FALLBACK_PERSON_ID } from './ids.js';
import type { ChannelName } from './records.js';
import {
  channelWords,
  FAILED_STATES,
  type FailedState,
  notDeliveredBecause,
  type Undelivered,
} from './reminders/delivery.js';
import type { RoutingGapText } from './reminders/messages.js';

/** A routing gap as the data keeps it: why, and whose role or which person. */
export interface Gap {
  reason: string;
  role?: string | undefined;
  personId?: string | undefined;
  channel?: string | undefined;
  /** `undelivered`: the provider's receipt (`permanent-failure`, …). */
  delivery?: string | undefined;
}

/**
 * A routing gap in a manager's words: what is missing and whom to ask. `name` is the person's
 * name where the reader may see it (a page); messages carry ids only, never names. `at`: when
 * the reminder was due to go (nobody on the rota then).
 */
export function gapWords(gap: Gap, at: Date, name?: string): RoutingGapText {
  const role = gap.role === undefined ? undefined : roleLabel(gap.role);
  const who =
    name ??
    (gap.personId === undefined
      ? role === undefined
        ? 'the person'
        : `the ${role}`
      : role === undefined
        ? gap.personId
        : `the ${role} (${gap.personId})`);
  // "LADO One’s manager" with a name; "the manager of the LADO (P-0004)" with ids only.
  const their = (thing: string) =>
    name === undefined ? `the ${thing} of ${who}` : `${name}’s ${thing}`;
  switch (gap.reason) {
    case 'no-worker-in-role':
      return {
        missing: `Nobody is recorded as the case’s ${role ?? 'worker'}`,
        fix: `Ask the case system to record the case’s ${role ?? 'worker'}`,
      };
    case 'no-manager':
      return {
        missing: `${capitalised(their('manager'))}: not in the directory`,
        fix: `Ask the case system to record ${their('manager')}`,
      };
    case 'unknown-person':
      return {
        missing: `${capitalised(who)}: not in the directory`,
        fix: `Ask the case system to add ${who} to the directory`,
      };
    case 'no-edt-on-call':
      return {
        missing: `Nobody on the EDT rota on ${formatUkLong(at)}`,
        fix: `Ask the EDT to add a shift covering ${formatUkLong(at)} to the rota`,
      };
    case 'no-contact':
      return gap.channel === 'sms'
        ? {
            missing: `${capitalised(who)} has no mobile number for urgent text messages`,
            fix: `Ask the case system to record ${their('mobile number')}`,
          }
        : {
            missing: `${capitalised(who)} has no email address`,
            fix: `Ask the case system to record ${their('email address')}`,
          };
    case 'undelivered': {
      // "LADO One’s text message was not delivered: the phone number is not in use".
      const channel: ChannelName = gap.channel === 'sms' ? 'sms' : 'email';
      const state = gap.delivery ?? 'permanent-failure';
      const duty = gap.personId === FALLBACK_PERSON_ID;
      const why = notDeliveredBecause(
        (FAILED_STATES.includes(state) ? state : 'permanent-failure') as FailedState,
        channel,
      );
      return {
        missing: `${capitalised(duty ? 'the duty inbox' : who)}’s ${channelWords(channel)} was not delivered: ${why}`,
        fix: duty
          ? CHECK_DUTY_INBOX
          : `Ask the case system to check ${their(contactField(channel))}`,
      };
    }
    case 'outside-calendar':
      return {
        missing: `${formatUkLong(at)} is beyond the bank holidays the service knows`,
        fix: 'Ask the service’s administrator to load a newer GOV.UK bank holidays list',
      };
    default:
      return {
        missing: capitalised(reasonLabel(gap.reason)),
        fix: 'Ask the service’s administrator',
      };
  }
}

/** Whom to ask when the duty inbox itself was not reached. */
const CHECK_DUTY_INBOX = 'Ask the service’s administrator to check the duty inbox’s address';

/** The directory's field a channel's messages go to. */
function contactField(channel: ChannelName): string {
  return channel === 'sms' ? 'mobile number' : 'email address';
}

/**
 * What the duty inbox is told was missing, and what would fix it, when a step reached nobody
 * because its messages were not delivered: every channel tried, in one line (ids and roles
 * only: the message goes by email).
 */
export function undeliveredGap(u: Undelivered): RoutingGapText {
  const duty = u.personId === FALLBACK_PERSON_ID;
  const who = duty
    ? 'the duty inbox'
    : u.via === 'edt'
      ? `the EDT manager on call (${u.personId})`
      : u.personId;
  const what = u.failures
    .map((f) => {
      const because = FAILED_STATES.includes(f.state)
        ? notDeliveredBecause(f.state as FailedState, f.channel)
        : 'it was not confirmed';
      return `${channelWords(f.channel)} not delivered: ${because}`;
    })
    .join('; ');
  const fields = [...new Set(u.failures.map((f) => contactField(f.channel)))];
  return {
    missing: `${capitalised(who)} was not reached: ${what}`,
    fix: duty
      ? CHECK_DUTY_INBOX
      : `Ask the case system to check the ${fields.join(' and ')} of ${u.personId}`,
  };
}
