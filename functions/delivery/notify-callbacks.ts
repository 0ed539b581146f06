/**
 * GOV.UK Notify's callbacks, read defensively: the bearer token Notify sends (compared in
 * constant time), the delivery receipt and the received text message, each checked by its
 * schema (a problem naming each bad field), and a receipt's status in our terms.
 *
 * Notify's statuses: `delivered`, `permanent-failure`, `temporary-failure` and
 * `technical-failure` settle a send; `created`, `sending`, `pending` and `sent` (a text abroad)
 * say it is on its way, and change nothing. Anything else is refused, naming the field.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { fieldErrors, ValidationError } from '#kernel/errors.js';
import type { FinalState, Receipt } from '#kernel/reminders/delivery.js';
import { MalformedJsonError, UnauthorizedError } from '#platform/errors.js';
import { header } from '#platform/http.js';
import type { NotifyDeliveryReceipt } from '#schemas/notify.js';
import type * as z from '#schemas/zod.js';

/**
 * Whether the request carries our callback bearer token: both sides hashed first, so the
 * comparison takes the same time whatever the token's length or how much of it is right.
 */
export function checkBearer(
  headers: Record<string, string | undefined> | undefined,
  token: string,
): void {
  const given = /^Bearer\s+(\S+)\s*$/i.exec(header(headers, 'authorization') ?? '')?.[1] ?? '';
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  const ok = timingSafeEqual(digest(given), digest(token)) && given !== '';
  if (!ok)
    throw new UnauthorizedError('the bearer token is missing or wrong', {
      errors: [{ field: 'header.authorization', message: 'Bearer <the callback token>' }],
    });
}

const FINAL: Record<string, FinalState> = {
  delivered: 'delivered',
  'permanent-failure': 'permanent-failure',
  'temporary-failure': 'temporary-failure',
  'technical-failure': 'technical-failure',
};
const ON_ITS_WAY = new Set(['created', 'sending', 'pending', 'sent']);

/** The JSON body, checked: malformed JSON or a field out of shape is a 400 naming it. */
export function parseCallback<S extends z.ZodMiniType>(text: string, schema: S): z.infer<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new MalformedJsonError('the body is not valid JSON', { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success)
    throw new ValidationError('the callback does not match its schema', {
      errors: fieldErrors(result.error),
    });
  return result.data;
}

/** A receipt in our terms; undefined while Notify says it is on its way. */
export function notifyReceipt(
  body: z.infer<typeof NotifyDeliveryReceipt>,
  now: Date,
): Receipt | undefined {
  const state = FINAL[body.status];
  if (state === undefined) {
    if (ON_ITS_WAY.has(body.status)) return undefined;
    throw new ValidationError(`unknown status "${body.status.slice(0, 64)}"`, {
      errors: [
        {
          field: 'status',
          message: `one of ${[...Object.keys(FINAL), ...ON_ITS_WAY].join(', ')}`,
        },
      ],
    });
  }
  const at = new Date(body.completed_at ?? body.sent_at ?? '');
  return {
    sendId: body.reference ?? '',
    state,
    at: Number.isNaN(at.getTime()) ? now : at,
    provider: 'notify',
    detail: body.status,
  };
}

/** A UK number as Notify gives it (`447700900111`, or `07700900111`) in E.164. */
export function e164(number: string): string {
  const digits = number.replace(/^\+/, '');
  if (digits.startsWith('0')) return `+44${digits.slice(1)}`;
  return `+${digits}`;
}
