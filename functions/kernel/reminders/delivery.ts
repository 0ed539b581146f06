/**
 * Whether a message reached its person (pure): the delivery state of every send, its plain
 * words, the send id a provider's receipt finds it by, and a reminder's sends as its audit
 * trail records them.
 *
 * A send is one channel of one claim (`SEND#<case>#<reminder>#<person>`): the provider
 * accepted it (`sent`), then its receipt says `delivered` or why not — GOV.UK Notify's
 * vocabulary, onto which SES's bounces, complaints and rejects and End User Messaging's SMS
 * events are mapped. Every failure (a temporary one too: it is final in Notify) is a person
 * not told.
 */
import type { ChannelName } from '../records.js';
import type { UnroutableReason } from './routing.js';

export const DELIVERY_STATES = [
  'sent',
  'delivered',
  'temporary-failure',
  'permanent-failure',
  'technical-failure',
] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];
/** What a receipt can say: every state but `sent`. */
export type FinalState = Exclude<DeliveryState, 'sent'>;
export const FINAL_STATES = DELIVERY_STATES.filter((s): s is FinalState => s !== 'sent');

/** The message did not reach its person. */
export function notDelivered(state: DeliveryState): boolean {
  return state !== 'sent' && state !== 'delivered';
}

/** One send: a claim's channel. */
export interface SendKey {
  caseId: string;
  reminderId: string;
  personId: string;
  channel: ChannelName;
}

const SEPARATOR = '\n';

/**
 * The id a provider is given with a message (Notify's `reference`, an SES tag and header, the
 * SMS `Context`) and hands back with its receipt: base64url of the claim's key and the
 * channel. Ids only (case reference, reminder id, person id), no contact details; stable across
 * retries and takeovers of the claim, so a re-sent message's receipt finds the same send.
 */
export function sendId(key: SendKey): string {
  const text = [key.caseId, key.reminderId, key.personId, key.channel].join(SEPARATOR);
  return Buffer.from(text, 'utf8').toString('base64url');
}

/** The send a provider's reference names, or undefined for one we did not make. */
export function parseSendId(id: string): SendKey | undefined {
  if (!/^[A-Za-z0-9_-]{8,600}$/.test(id)) return undefined;
  const parts = Buffer.from(id, 'base64url').toString('utf8').split(SEPARATOR);
  if (parts.length !== 4) return undefined;
  const [caseId, reminderId, personId, channel] = parts as [string, string, string, string];
  if (caseId === '' || reminderId === '' || personId === '') return undefined;
  if (channel !== 'email' && channel !== 'sms') return undefined;
  // Only what `sendId` makes: a round trip gives the same text.
  const key = { caseId, reminderId, personId, channel } as const;
  return sendId(key) === id ? key : undefined;
}

/**
 * The claim of a message tried on a person's other channel after the first one failed: the
 * step's reminder id with the channel (`<reminder>~sms`), so it is sent once however often the
 * failure is reported.
 */
export function otherChannelReminderId(reminderId: string, channel: ChannelName): string {
  return `${stepReminderId(reminderId)}~${channel}`;
}

/** The step's reminder id of a send (an other-channel send's is its step's). */
export function stepReminderId(reminderId: string): string {
  const at = reminderId.indexOf('~');
  return at < 0 ? reminderId : reminderId.slice(0, at);
}

/** The plan step key and the deadline of a reminder id (`<deadline>.<step>.<due>`). */
export function reminderParts(reminderId: string): { deadlineId: string; step: string } {
  const parts = stepReminderId(reminderId).split('.');
  return { deadlineId: parts.slice(0, -2).join('.'), step: parts.at(-2) ?? '' };
}

/** What a receipt says about one send, in our terms. */
export interface Receipt {
  sendId: string;
  state: FinalState;
  /** When the provider says it happened (else when we heard). */
  at: Date;
  provider: 'notify' | 'ses' | 'sms';
  /** The provider's own words for it, e.g. `Bounce/Permanent/General`, `TEXT_UNREACHABLE`. */
  detail?: string | undefined;
}

/** The final states of a message that did not arrive. */
export type FailedState = Exclude<FinalState, 'delivered'>;
export const FAILED_STATES: readonly string[] = [
  'permanent-failure',
  'temporary-failure',
  'technical-failure',
] satisfies FailedState[];

/** Why a message was not delivered, by channel and state. */
const BECAUSE: Record<ChannelName, Record<FailedState, string>> = {
  email: {
    'permanent-failure': 'the email address does not exist or refuses our email',
    'temporary-failure': 'the inbox was full or not accepting email',
    'technical-failure': 'a technical problem stopped the email',
  },
  sms: {
    'permanent-failure': 'the phone number is not in use',
    'temporary-failure': 'the phone was switched off or out of signal',
    'technical-failure': 'a technical problem stopped the text message',
  },
};

/** Why a message was not delivered, in plain words: "the phone number is not in use". */
export function notDeliveredBecause(state: FailedState, channel: ChannelName): string {
  return BECAUSE[channel][state];
}

/**
 * A delivery state in plain words, for the case page and the duty inbox:
 * "Not delivered: the phone number is not in use".
 */
export function deliveryWords(state: DeliveryState, channel: ChannelName): string {
  if (state === 'sent') return 'Sent: not yet confirmed as delivered';
  if (state === 'delivered') return 'Delivered';
  return `Not delivered: ${notDeliveredBecause(state, channel)}`;
}

/** The channel in words: "text message", "email". */
export function channelWords(channel: ChannelName): string {
  return channel === 'sms' ? 'text message' : 'email';
}

/** A send's delivery as the API and the pages show it. */
export interface DeliveryView {
  state: DeliveryState;
  /** When the receipt said so (absent while `sent`). */
  at?: string;
  words: string;
  /** A receipt that came after another had settled it: recorded, and it changed nothing. */
  late?: { state: FinalState; at: string }[];
}

/** One send of a reminder, from the audit trail. */
export interface SendView {
  personId: string;
  channel: ChannelName;
  via?: string;
  /** Sent to the person's other channel because the first did not reach them. */
  otherChannel?: boolean;
  sentAt: string;
  sendId: string;
  delivery: DeliveryView;
}

/** An audit line as read back (the store's shape). */
export interface DeliveryAuditLine {
  at: string;
  kind: string;
  detail?: unknown;
}

/**
 * A reminder's sends from its audit lines: each `reminder-sent` line with a person and a
 * channel, and each send the provider refused (`reminder-failed` with a channel and no routing
 * gap: a technical failure), with what the receipts (`reminder-delivery`) said of it. The
 * first receipt settles a send; a later one is listed as `late`.
 */
export function sendsOf(
  caseId: string,
  reminderId: string,
  lines: readonly DeliveryAuditLine[],
): SendView[] {
  const sends = new Map<string, SendView>();
  const keyOf = (personId: string, channel: ChannelName) => `${personId}|${channel}`;
  for (const line of lines) {
    const d = (line.detail ?? {}) as Record<string, unknown>;
    if (d.reminderId !== reminderId) continue;
    const personId = d.personId;
    const channel = d.channel;
    if (typeof personId !== 'string' || (channel !== 'email' && channel !== 'sms')) continue;
    const key = keyOf(personId, channel);
    if (line.kind === 'reminder-sent' || isRefusedSend(line.kind, d)) {
      if (sends.has(key)) continue;
      const sentId = sendId({
        caseId,
        reminderId:
          d.otherChannel === true ? otherChannelReminderId(reminderId, channel) : reminderId,
        personId,
        channel,
      });
      const refused = line.kind !== 'reminder-sent';
      const state: DeliveryState = refused ? 'technical-failure' : 'sent';
      sends.set(key, {
        personId,
        channel,
        ...(typeof d.via === 'string' ? { via: d.via } : {}),
        ...(d.otherChannel === true ? { otherChannel: true } : {}),
        sentAt: line.at,
        sendId: sentId,
        delivery: {
          state,
          ...(refused ? { at: line.at } : {}),
          words: deliveryWords(state, channel),
        },
      });
    } else if (line.kind === 'reminder-delivery') {
      const state = d.state as FinalState;
      if (!FINAL_STATES.includes(state)) continue;
      const send = sends.get(key);
      if (send === undefined) continue;
      if (send.delivery.state === 'sent') {
        send.delivery = { state, at: line.at, words: deliveryWords(state, channel) };
      } else if (send.delivery.state !== state || send.delivery.at !== line.at) {
        send.delivery.late = [...(send.delivery.late ?? []), { state, at: line.at }];
      }
    }
  }
  return [...sends.values()];
}

/**
 * A send the provider refused outright: a `reminder-failed` line with a channel that is no
 * routing gap (gaps are the reminder's unrouted reasons, not a refusal).
 */
export function isRefusedSend(kind: string, d: Record<string, unknown>): boolean {
  return kind === 'reminder-failed' && typeof d.channel === 'string' && !GAPS.has(String(d.reason));
}

const GAPS = new Set<string>([
  'no-worker-in-role',
  'no-manager',
  'unknown-person',
  'no-edt-on-call',
  'no-contact',
] satisfies UnroutableReason[]);

/** A person a step was meant for, not reached: each channel tried and what it came to. */
export interface Undelivered {
  personId: string;
  /** How they were meant to hear: `edt` for the EDT manager on call. */
  via?: string | undefined;
  failures: { channel: ChannelName; state: FinalState }[];
}
