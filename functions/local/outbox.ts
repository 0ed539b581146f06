/**
 * Local mode's outbox and its routes: every email and SMS sent, and a simulated clock that a
 * user moves forward to watch a case's reminders fire in order.
 *
 * - `GET /local/outbox` → `[{ channel, to, subject?, body, sentAt, caseId, rule, reminderId,
 *   sendId, delivery }]`: `delivery` is what the provider's receipt said (`sent` until then)
 * - `POST /local/clock {"now": "<ISO instant>"}` → fires, in order, every timer due by then.
 * - `POST /local/sms-inbound {"from": "+44…", "body": "YES"}` → a reply to an alert SMS, through
 *   the same use case as the inbound-SMS Lambda.
 *
 * The routes are plain functions returning `HttpResult`s, for `functions/local/server.ts`.
 */

import type { Channel, OutboundMessage } from '#functions/fire/ports.js';
import { ValidationError } from '#kernel/errors.js';
import { type DeliveryState, type FinalState, sendId } from '#kernel/reminders/delivery.js';
import { MalformedJsonError, MethodNotAllowedError } from '#platform/errors.js';
import { errorAnswer, type HttpResult, json, problemResult, toProblem } from '#platform/http.js';
import * as z from '#schemas/zod.js';

export interface OutboxEntry {
  channel: 'email' | 'sms';
  to: string;
  subject?: string;
  body: string;
  sentAt: string;
  caseId: string;
  rule: string;
  reminderId: string;
  /** The id the provider's receipt names it by. */
  sendId: string;
  /** What the receipt said (`sent` until one came). */
  delivery: DeliveryState;
}

/** In-memory record of what local mode sent (emails also reach aws-ses-v2-local). */
export class LocalOutbox {
  private readonly entries: OutboxEntry[] = [];
  /** Receipts by send id: the first settles a send (a receipt may come before its entry). */
  private readonly receipts = new Map<string, FinalState>();

  record(message: OutboundMessage, sentAt: Date): void {
    const id = sendId({ ...message.meta, channel: message.channel });
    this.entries.push({
      channel: message.channel,
      to: message.to,
      ...(message.subject === undefined ? {} : { subject: message.subject }),
      body: message.text,
      sentAt: sentAt.toISOString(),
      caseId: message.meta.caseId,
      rule: message.meta.rule,
      reminderId: message.meta.reminderId,
      sendId: id,
      delivery: 'sent',
    });
  }

  /** A receipt the delivery path recorded. */
  markDelivery(id: string, state: FinalState): void {
    if (!this.receipts.has(id)) this.receipts.set(id, state);
  }

  /**
   * Every message with its delivery state, by the minute it was sent; within a minute (one
   * instant's firing, whose sends race each other) by clock, case and reminder, texts before
   * emails, then recipient — so the same story always lists the same way.
   */
  list(): OutboxEntry[] {
    const channels = { sms: 0, email: 1 } as const;
    const order = (a: OutboxEntry, b: OutboxEntry) =>
      a.sentAt.slice(0, 16).localeCompare(b.sentAt.slice(0, 16)) ||
      a.rule.localeCompare(b.rule) ||
      a.caseId.localeCompare(b.caseId) ||
      a.reminderId.localeCompare(b.reminderId) ||
      channels[a.channel] - channels[b.channel] ||
      a.to.localeCompare(b.to);
    return this.entries
      .map((e) => ({ ...e, delivery: this.receipts.get(e.sendId) ?? e.delivery }))
      .sort(order);
  }

  /** How many messages it holds. */
  get size(): number {
    return this.entries.length;
  }

  clear(): void {
    this.entries.length = 0;
    this.receipts.clear();
  }
}

/** Wraps a real channel (SES against aws-ses-v2-local) so its messages show in the outbox too. */
export function recordingChannel(
  inner: Channel,
  outbox: LocalOutbox,
  clock: { now(): Date },
): Channel {
  return {
    name: inner.name,
    async send(message, attempt) {
      const result = await inner.send(message, attempt);
      outbox.record(message, clock.now());
      return result;
    },
  };
}

const ClockBody = z.strictObject({ now: z.iso.datetime({ offset: true }) });
/** A reply as the two-way SMS channel would deliver it: the sender's number and the text. */
const SmsInboundBody = z.strictObject({
  from: z.string().check(z.regex(/^\+[1-9][0-9 ]{7,20}$/, 'E.164 format, e.g. +447700900123')),
  body: z.string().check(z.maxLength(1600)),
});

export interface LocalRoutesDeps {
  outbox: LocalOutbox;
  /** The local scheduler driver: moves the simulated clock, firing what falls due. */
  driver: { advanceTo(now: Date): Promise<{ fired: number }> };
  clock: { now(): Date };
  /** What an inbound SMS reply does (the same use case as the inbound-SMS Lambda). */
  smsInbound?: (sms: {
    from: string;
    body: string;
  }) => Promise<{ status: string; alertId?: string }>;
}

export interface LocalRoutes {
  /** GET /local/outbox */
  getOutbox(): Promise<HttpResult>;
  /** POST /local/clock; `body` is the raw request body. */
  postClock(body: string | Buffer): Promise<HttpResult>;
  /** POST /local/sms-inbound: a reply to an alert SMS, as the two-way channel would deliver it. */
  postSmsInbound(body: string | Buffer): Promise<HttpResult>;
  /** Dispatches a local route, or undefined when the path is not one. */
  handle(method: string, path: string, body: string | Buffer): Promise<HttpResult> | undefined;
}

export function makeLocalRoutes(deps: LocalRoutesDeps): LocalRoutes {
  const getOutbox = async () => json(200, deps.outbox.list());
  const postClock = async (body: string | Buffer): Promise<HttpResult> => {
    try {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString());
      } catch (error) {
        throw new MalformedJsonError('the body is not valid JSON', { cause: error });
      }
      const result = ClockBody.safeParse(parsed);
      if (!result.success) {
        throw new ValidationError('expected {"now": "<ISO-8601 instant with an offset>"}', {
          errors: result.error.issues.map((i) => ({
            field: i.path.join('.') || '(body)',
            message: i.message,
          })),
        });
      }
      const target = new Date(result.data.now);
      const before = deps.clock.now();
      if (target.getTime() < before.getTime() - 1000) {
        throw new ValidationError('the clock only moves forward', {
          errors: [{ field: 'now', message: `must not be before ${before.toISOString()}` }],
        });
      }
      const { fired } = await deps.driver.advanceTo(target);
      return json(200, { now: deps.clock.now().toISOString(), fired });
    } catch (error) {
      return problemResult(toProblem(error, '/local/clock'));
    }
  };
  const postSmsInbound = async (body: string | Buffer): Promise<HttpResult> => {
    try {
      if (deps.smsInbound === undefined)
        throw new ValidationError('inbound SMS is not wired in this local stack');
      const sms = parseBody(body, SmsInboundBody, 'expected {"from": "+44…", "body": "YES"}');
      return json(200, await deps.smsInbound(sms));
    } catch (error) {
      return problemResult(toProblem(error, '/local/sms-inbound'));
    }
  };
  return {
    getOutbox,
    postClock,
    postSmsInbound,
    handle(method, path, body) {
      if (path === '/local/outbox' && method === 'GET') return getOutbox();
      if (path === '/local/clock' && method === 'POST') return postClock(body);
      if (path === '/local/sms-inbound' && method === 'POST') return postSmsInbound(body);
      if (path === '/local/outbox' || path === '/local/clock' || path === '/local/sms-inbound') {
        const allow = path === '/local/outbox' ? 'GET' : 'POST';
        const refused = new MethodNotAllowedError(`${method} is not allowed on ${path}`, [allow]);
        return Promise.resolve(errorAnswer(refused, path));
      }
      return undefined;
    },
  };
}

/** A JSON body checked against its schema: 400 naming each field that is wrong. */
function parseBody<S extends z.ZodMiniType>(
  body: string | Buffer,
  schema: S,
  expected: string,
): z.infer<S> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString());
  } catch (error) {
    throw new MalformedJsonError('the body is not valid JSON', { cause: error });
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    throw new ValidationError(expected, {
      errors: result.error.issues.map((i) => ({
        field: i.path.join('.') || '(body)',
        message: i.message,
      })),
    });
  }
  return result.data;
}
