/**
 * The AWS provider's delivery events in our terms: the SES configuration set's events and
 * End User Messaging SMS events, each an SNS message on the delivery-events topic.
 *
 * SES (`eventType`, or `notificationType` from an identity's notifications): `Delivery` —
 * delivered; a `Bounce` — `Permanent` a permanent failure (the address does not exist),
 * `Transient` a temporary one (a full inbox), `Undetermined` a technical one; `Complaint` —
 * delivered (the person had it, and marked it as unwanted: the operations alarm says so);
 * `Reject` and `Rendering Failure` — technical failures (SES never sent it). The send id is
 * the message's `sendId` tag, else its `X-Timescales-Send` header.
 *
 * SMS (`eventType`, final events only): `TEXT_DELIVERED` delivered (and `TEXT_SUCCESSFUL`
 * where it is final: no receipt from the carrier will follow); `TEXT_BLOCKED`,
 * `TEXT_CARRIER_BLOCKED`, `TEXT_INVALID`, `TEXT_INVALID_MESSAGE`, `TEXT_SPAM` and
 * `TEXT_UNREACHABLE` permanent failures (the number is not in use, or refuses us);
 * `TEXT_TTL_EXPIRED` and `TEXT_CARRIER_UNREACHABLE` temporary ones (the phone off, out of
 * signal); `TEXT_UNKNOWN` a technical one. The send id is the `sendId` of the message's context.
 */
import type { FinalState, Receipt } from '#kernel/reminders/delivery.js';

const SMS: Record<string, FinalState> = {
  TEXT_DELIVERED: 'delivered',
  TEXT_BLOCKED: 'permanent-failure',
  TEXT_CARRIER_BLOCKED: 'permanent-failure',
  TEXT_INVALID: 'permanent-failure',
  TEXT_INVALID_MESSAGE: 'permanent-failure',
  TEXT_SPAM: 'permanent-failure',
  TEXT_UNREACHABLE: 'permanent-failure',
  TEXT_TTL_EXPIRED: 'temporary-failure',
  TEXT_CARRIER_UNREACHABLE: 'temporary-failure',
  TEXT_UNKNOWN: 'technical-failure',
};

/** What one event came to: a receipt, or why it is none (ids and kinds only, for the log). */
export type EventReading =
  | { receipt: Receipt }
  | { skipped: 'not-final' | 'not-ours' | 'not-understood'; kind?: string };

/** One SNS message of the delivery-events topic. */
export function readDeliveryEvent(message: string, now: Date): EventReading {
  let event: Record<string, unknown>;
  try {
    event = JSON.parse(message) as Record<string, unknown>;
  } catch {
    return { skipped: 'not-understood' };
  }
  if (event === null || typeof event !== 'object') return { skipped: 'not-understood' };
  const kind = event.eventType ?? event.notificationType;
  if (typeof kind !== 'string') return { skipped: 'not-understood' };
  return kind.startsWith('TEXT_') ? smsEvent(event, kind, now) : sesEvent(event, kind, now);
}

function smsEvent(event: Record<string, unknown>, kind: string, now: Date): EventReading {
  let state = SMS[kind];
  if (kind === 'TEXT_SUCCESSFUL' && event.isFinal === true) state = 'delivered';
  if (state === undefined) return { skipped: 'not-final', kind };
  const sendId = (event.context as Record<string, unknown> | undefined)?.sendId;
  if (typeof sendId !== 'string') return { skipped: 'not-ours', kind };
  const ms = event.eventTimestamp;
  return {
    receipt: {
      sendId,
      state,
      at: typeof ms === 'number' && Number.isFinite(ms) ? new Date(ms) : now,
      provider: 'sms',
      detail: kind,
    },
  };
}

function sesEvent(event: Record<string, unknown>, kind: string, now: Date): EventReading {
  const part = (name: string) => (event[name] ?? {}) as Record<string, unknown>;
  let state: FinalState | undefined;
  let detail = kind;
  let when: unknown;
  switch (kind) {
    case 'Delivery':
      state = 'delivered';
      when = part('delivery').timestamp;
      break;
    case 'Complaint':
      state = 'delivered';
      when = part('complaint').timestamp;
      break;
    case 'Bounce': {
      const bounce = part('bounce');
      const type = String(bounce.bounceType ?? 'Undetermined');
      state =
        type === 'Permanent'
          ? 'permanent-failure'
          : type === 'Transient'
            ? 'temporary-failure'
            : 'technical-failure';
      detail = `Bounce/${type}/${String(bounce.bounceSubType ?? '')}`.replace(/[^\w/ -]/g, '');
      when = bounce.timestamp;
      break;
    }
    case 'Reject':
    case 'Rendering Failure':
    case 'RenderingFailure':
      state = 'technical-failure';
      break;
    default:
      return { skipped: 'not-final', kind };
  }
  const sendId = sesSendId(part('mail'));
  if (sendId === undefined) return { skipped: 'not-ours', kind };
  const at = new Date(typeof when === 'string' ? when : '');
  return {
    receipt: {
      sendId,
      state,
      at: Number.isNaN(at.getTime()) ? now : at,
      provider: 'ses',
      detail,
    },
  };
}

function sesSendId(mail: Record<string, unknown>): string | undefined {
  const tag = (mail.tags as Record<string, unknown> | undefined)?.sendId;
  if (Array.isArray(tag) && typeof tag[0] === 'string') return tag[0];
  const headers = mail.headers;
  if (!Array.isArray(headers)) return undefined;
  const found = headers.find(
    (h) => typeof h?.name === 'string' && h.name.toLowerCase() === 'x-timescales-send',
  );
  return typeof found?.value === 'string' ? found.value.trim() : undefined;
}
