/**
 * What the API answers about out-of-hours alerts: the alerts and their acknowledgements, the
 * ack link's pages, and what a text message replying to one did.
 */
import { CaseId } from './event-fields.js';
import { page, UtcInstant } from './response-fields.js';
import * as z from './zod.js';

/** An acknowledgement, as the API shows it: roles and ids, never contact details. */
export const AlertAckView = z
  .object({
    at: UtcInstant,
    via: z.enum(['link', 'sms', 'api']),
    by: z
      .string()
      .check(
        z.describe(
          'who acknowledged: 1 (the EDT manager on call), 2 (the senior manager on call), fallback (the duty inbox), integration (the API)',
        ),
      ),
    personId: z.optional(z.string()),
    alertId: z.string().check(z.describe('the alert whose link, reply or API call acknowledged')),
  })
  .check(z.meta({ id: 'AlertAck' }));
export type AlertAckView = z.infer<typeof AlertAckView>;

/** One out-of-hours alert. Ids and roles only. */
export const AlertView = z
  .object({
    alertId: z.string().check(z.describe('8 base64url characters; the ack link carries it')),
    caseId: CaseId,
    deadlineId: z.string(),
    rule: z.string(),
    step: z
      .string()
      .check(
        z.describe('the plan step that alerted (p50, breach, …), or the escalation (esc2, escf)'),
      ),
    tier: z
      .string()
      .check(
        z.describe(
          '1: the EDT manager on call; 2: the senior manager on call; fallback: the duty inbox',
        ),
      ),
    personId: z.string().check(z.describe('who it went to (@fallback: the fallback contact)')),
    phase: z.enum(['open', 'breached']),
    sentAt: UtcInstant,
    dueAt: UtcInstant,
    validUntil: UtcInstant.check(z.describe('its ack link works until then')),
    status: z.enum(['open', 'acknowledged']),
    ack: z.optional(AlertAckView),
  })
  .check(z.meta({ id: 'Alert' }));
export type AlertView = z.infer<typeof AlertView>;

export const AlertList = z
  .object({
    alerts: z.array(AlertView).check(z.describe('newest first')),
    nextCursor: z.optional(z.string()).check(z.describe('pass as `cursor` to get the next page')),
  })
  .check(z.meta({ id: 'AlertList' }));
export type AlertList = z.infer<typeof AlertList>;

/** `GET /v1/alerts` query. */
export const AlertQuery = z.strictObject({
  status: z._default(z.enum(['open', 'acknowledged']), 'open'),
  ...page,
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertParams = z.object({
  alertId: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{8}$/, '8 base64url characters'),
      z.meta({ example: 'Xk3_a9Qz' }),
    ),
});

/** `POST /v1/alerts/{alertId}/ack`: the alert after it, and whether this call changed anything. */
export const AckResult = z
  .object({
    changed: z
      .boolean()
      .check(z.describe('false: the clock was already acknowledged (by this alert or another)')),
    alert: AlertView,
    // The acknowledgement that covers the alert (a described copy would clash with its id).
    ack: AlertAckView,
  })
  .check(z.meta({ id: 'AckResult' }));
export type AckResult = z.infer<typeof AckResult>;

/** The ack link's path parameter: the token (base64url). */
export const AckTokenParams = z.object({
  token: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'base64url'),
      z.describe('the signed token of the ack link (alert id, expiry, HMAC)'),
    ),
});

/** An HTML page (the ack link's routes answer pages, not JSON). */
export const HtmlPage = z.string().check(z.describe('an HTML page'));

/** What a received text message did (a reply to an alert). */
export const ReceivedTextResult = z
  .object({
    status: z
      .enum(['acknowledged', 'already', 'not-an-ack', 'no-open-alert'])
      .check(z.describe('as a two-way SMS reply: its first word YES acknowledges')),
    alertId: z.optional(z.string()),
  })
  .check(z.meta({ id: 'ReceivedTextResult' }));
