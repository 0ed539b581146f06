/**
 * The ack link's token: `<base>/a/<token>`, the whole URL at most 60 characters (an SMS has
 * 160). The token is base64url of
 *
 *     alert id (6 bytes) ‖ valid until (4 bytes: minutes since 1970, big-endian) ‖ MAC (n bytes)
 *
 * where the MAC is HMAC-SHA256, keyed with the alert-token secret, over a version label, the
 * alert id and the expiry, truncated to the n bytes the base URL leaves room for (at most 16,
 * at least 8: a base too long for 8 is refused when the configuration is read). No personal
 * data: an alert id is a hash and the expiry a time. Verifying recomputes the MAC and compares
 * it with `crypto.timingSafeEqual`; the expiry is trusted only once the MAC matched.
 *
 * Why a truncated MAC is enough: a forger must guess the n-byte MAC of an alert id and expiry
 * they choose, online, through API Gateway (throttled at the stage, per route): each request
 * is one guess with probability 2^-8n — for n = 8, 2^-64. At 100 requests a second for a year
 * (3.2 × 10^9 guesses, far above the stage's limits) the chance of any success is below
 * 2 × 10^-10. There is no offline attack without the key (a MAC is not a hash of public
 * data), and the key never leaves Secrets Manager and the two Lambdas that read it.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { ALERT_ID } from '#kernel/ids.js';
import type { AlertLinks } from '#kernel/ports.js';

/** The path the ack routes live under (`GET` and `POST /a/{token}`). */
export const ACK_PATH_PREFIX = '/a/';
/** The longest an ack link may be, base included. */
export const MAX_ACK_URL = 60;
/** The shortest MAC we accept (64 bits), and the longest worth sending (128 bits). */
export const MIN_MAC_BYTES = 8;
export const MAX_MAC_BYTES = 16;
/** The shortest key (the secret's UTF-8 bytes) we accept. */
export const MIN_KEY_LENGTH = 32;

const ID_BYTES = 6;
const EXPIRY_BYTES = 4;
const LABEL = Buffer.from('timescales-ack-v1\u0000');

/** Why a token was refused: not one of ours at all, a wrong MAC, or past its expiry. */
export type TokenRefusal = 'malformed' | 'forged' | 'expired';

export type TokenCheck =
  | { ok: true; alertId: string; validUntil: Date }
  | { ok: false; reason: TokenRefusal };

export interface AlertTokens extends AlertLinks {
  /** The token alone (the last path segment of `link`). */
  token(alertId: string, validUntil: Date): string;
  /** Checks a token from a path: its MAC (constant time), then its expiry against `now`. */
  verify(token: string, now: Date): TokenCheck;
  /** How many MAC bytes this base URL leaves room for. */
  readonly macBytes: number;
}

/** A base URL too long to leave room for a safe token, or a key too short. */
export class AlertTokenConfigError extends Error {
  override readonly name = 'AlertTokenConfigError';
}

/** base64url length of `bytes` bytes, without padding. */
const encodedLength = (bytes: number) => Math.ceil((bytes * 4) / 3);

/**
 * The MAC length a base URL leaves room for: the most bytes (≤ 16) with which
 * `<base>/a/<token>` stays within 60 characters. Throws when fewer than 8 fit.
 */
export function macBytesFor(baseUrl: string): number {
  const prefix = normalisedBase(baseUrl).length + ACK_PATH_PREFIX.length;
  for (let n = MAX_MAC_BYTES; n >= MIN_MAC_BYTES; n--) {
    if (prefix + encodedLength(ID_BYTES + EXPIRY_BYTES + n) <= MAX_ACK_URL) return n;
  }
  const room = MAX_ACK_URL - encodedLength(ID_BYTES + EXPIRY_BYTES + MIN_MAC_BYTES);
  throw new AlertTokenConfigError(
    `the ack base URL ${baseUrl} is too long: ack links must fit in ${MAX_ACK_URL} characters, so the base may have at most ${room - ACK_PATH_PREFIX.length} (use a short custom domain, e.g. https://ack.example.gov.uk)`,
  );
}

function normalisedBase(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

export function makeAlertTokens(options: { key: string; baseUrl: string }): AlertTokens {
  if (options.key.length < MIN_KEY_LENGTH)
    throw new AlertTokenConfigError(
      `the alert-token key must have at least ${MIN_KEY_LENGTH} characters`,
    );
  const key = Buffer.from(options.key, 'utf8');
  const base = normalisedBase(options.baseUrl);
  const macBytes = macBytesFor(base);
  const total = ID_BYTES + EXPIRY_BYTES + macBytes;
  const mac = (id: Buffer, expiry: Buffer) =>
    createHmac('sha256', key)
      .update(LABEL)
      .update(id)
      .update(expiry)
      .digest()
      .subarray(0, macBytes);

  const token = (alertId: string, validUntil: Date): string => {
    if (!ALERT_ID.test(alertId)) throw new Error(`not an alert id: ${alertId}`);
    const id = Buffer.from(alertId, 'base64url');
    const expiry = Buffer.alloc(EXPIRY_BYTES);
    expiry.writeUInt32BE(Math.floor(validUntil.getTime() / 60_000));
    return Buffer.concat([id, expiry, mac(id, expiry)]).toString('base64url');
  };

  return {
    macBytes,
    token,
    link: (alertId, validUntil) => `${base}${ACK_PATH_PREFIX}${token(alertId, validUntil)}`,
    verify(text, now) {
      // base64url only, and exactly our length: anything else is not a token we made.
      if (text.length !== encodedLength(total) || !/^[A-Za-z0-9_-]+$/.test(text))
        return { ok: false, reason: 'malformed' };
      const bytes = Buffer.from(text, 'base64url');
      // Non-canonical trailing bits decode to the same bytes: only the canonical text is ours.
      if (bytes.length !== total || bytes.toString('base64url') !== text)
        return { ok: false, reason: 'malformed' };
      const id = bytes.subarray(0, ID_BYTES);
      const expiry = bytes.subarray(ID_BYTES, ID_BYTES + EXPIRY_BYTES);
      if (!timingSafeEqual(bytes.subarray(ID_BYTES + EXPIRY_BYTES), mac(id, expiry)))
        return { ok: false, reason: 'forged' };
      const validUntil = new Date(expiry.readUInt32BE() * 60_000);
      if (now.getTime() >= validUntil.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true, alertId: id.toString('base64url'), validUntil };
    },
  };
}
