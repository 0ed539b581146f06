/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `v1,` and the base64
 * HMAC-SHA256, keyed by the base64 secret after `whsec_`, of `id.timestamp.` followed by the
 * body's bytes exactly as received; timestamps more than 5 minutes off refused.
 *
 * Computed with node:crypto rather than the `standardwebhooks` package: the package decodes a
 * Buffer as UTF-8 before signing it, so every invalid byte becomes U+FFFD and one signature
 * verifies many different bodies (`\xff\xfe` and `\x80\x80` alike). For a UTF-8 body the two
 * agree byte for byte (the tests check against the package).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from './errors.js';
import { header } from './http.js';

export const WEBHOOK_HEADERS = ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const;

/** How far a signature's timestamp may be from now, either way (the specification's default). */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export interface WebhookVerifier {
  verify(rawBody: Buffer, headers: Record<string, string | undefined> | undefined): void;
}

const SECRET = /^(?:whsec_)?((?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?)$/;

/** The HMAC key: the secret's base64 after `whsec_`; a malformed secret stops the start. */
function keyOf(secret: string): Buffer {
  const base64 = SECRET.exec(secret)?.[1];
  if (base64 === undefined || base64 === '')
    throw new Error('the webhook secret must be whsec_ followed by base64');
  return Buffer.from(base64, 'base64');
}

/** `v1,<base64 HMAC>` over `id.timestamp.` and the bytes. */
function signature(key: Buffer, id: string, timestamp: number, bytes: Buffer): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(bytes);
  return `v1,${mac.digest('base64')}`;
}

/** Whole seconds since the epoch, digits only: `1e10`, `12.5` and ` 12` are not timestamps. */
function timestampOf(text: string, now: number): number | undefined {
  if (!/^\d{1,12}$/.test(text)) return undefined;
  const seconds = Number(text);
  return Math.abs(now - seconds) > WEBHOOK_TOLERANCE_SECONDS ? undefined : seconds;
}

function refused(field: 'webhook-timestamp' | 'webhook-signature'): UnauthorizedError {
  return field === 'webhook-timestamp'
    ? new UnauthorizedError('the webhook timestamp is invalid or more than 5 minutes off', {
        errors: [{ field: 'header.webhook-timestamp', message: 'stale, future or invalid' }],
      })
    : new UnauthorizedError('the signature does not match', {
        errors: [{ field: 'header.webhook-signature', message: 'no matching signature' }],
      });
}

export function makeWebhookVerifier(secret: string): WebhookVerifier {
  const key = keyOf(secret);
  return {
    verify(rawBody, headers) {
      const missing = WEBHOOK_HEADERS.filter((name) => !header(headers, name));
      if (missing.length > 0) {
        throw new UnauthorizedError(`missing ${missing.join(', ')}`, {
          errors: missing.map((field) => ({ field: `header.${field}`, message: 'required' })),
        });
      }
      const [id, stamp, offered] = WEBHOOK_HEADERS.map((name) => header(headers, name) as string);
      const timestamp = timestampOf(stamp as string, Math.floor(Date.now() / 1000));
      if (timestamp === undefined) throw refused('webhook-timestamp');
      const expected = Buffer.from(signature(key, id as string, timestamp, rawBody));
      // A sender rotating its secret sends several, space-separated; one match is enough.
      const matches = (offered as string).split(' ').some((candidate) => {
        const bytes = Buffer.from(candidate);
        return bytes.length === expected.length && timingSafeEqual(bytes, expected);
      });
      if (!matches) throw refused('webhook-signature');
    },
  };
}

/** Signs a body the way a sender does: the headers to send with it (demo, tests, local mode). */
export function signWebhook(
  secret: string,
  body: string | Buffer,
  options: { id?: string; at?: Date } = {},
): Record<(typeof WEBHOOK_HEADERS)[number], string> {
  const id = options.id ?? `msg_${crypto.randomUUID()}`;
  const timestamp = Math.floor((options.at ?? new Date()).getTime() / 1000);
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  return {
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': signature(keyOf(secret), id, timestamp, bytes),
  };
}
