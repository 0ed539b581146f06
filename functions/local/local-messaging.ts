/**
 * Local mode's messaging, for either provider, with the delivery path that closes the loop:
 *
 * - `aws`: email to aws-ses-v2-local, SMS into the outbox; after each send, the event SES or
 *   End User Messaging would publish (delivered, or a bounce / an undelivered text for Notify's
 *   test addresses and numbers, so the fallback path can be tried here too) goes through the
 *   delivery-events handler, as the SNS topic would deliver it.
 * - `notify`: both channels through the official client against the Notify stand-in
 *   (`notify-standin.ts`), which posts each receipt to `POST /v1/notify/delivery-receipts`
 *   (over HTTP to the local server, or — with no server, as in the benchmark — to the same
 *   handler in this process), with its bearer token.
 *
 * Either way a person not told is followed up by the fire handler in this process, and the
 * outbox shows each message's delivery state. `settled()` waits for every receipt in flight
 * and whatever it caused, so one move of the simulated clock carries a failure through to
 * the duty inbox.
 */

import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SNSEvent } from 'aws-lambda';
import type { AckDeps } from '#functions/alerts/acknowledge-alert.js';
import { makeHandler as makeEventsHandler } from '#functions/delivery/events-handler.js';
import {
  makeHandler as makeNotifyHandler,
  type NotifyHandler,
} from '#functions/delivery/notify-handler.js';
import { notifyHandlerDeps } from '#functions/delivery/notify-wiring.js';
import { receiptDeps } from '#functions/delivery/wiring.js';
import { notifyClient } from '#functions/fire/channels/notify.js';
import type { Channel, OutboundMessage } from '#functions/fire/ports.js';
import { notifyFireChannels } from '#functions/fire/wiring.js';
import type { Log } from '#kernel/ports.js';
import { sendId } from '#kernel/reminders/delivery.js';
import { NOTIFY_RATE_PER_MINUTE } from '#platform/config.js';
import { lazy } from '#platform/lazy.js';
import { type CallbackSink, startNotifyStandIn, testOutcome } from './notify-standin.js';
import { type LocalOutbox, recordingChannel } from './outbox.js';

/** The generic templates local mode's Notify has (any UUIDs do: the stand-in holds them). */
export const LOCAL_NOTIFY_TEMPLATES = {
  emailTemplateId: 'f33517ff-2a88-4f6e-b855-c550268ce08a',
  smsTemplateId: '289e1f6e-92e2-4d36-a2b5-d36c3a9f7a51',
};

/** The bearer token of local mode's Notify callbacks (set NOTIFY_CALLBACK_TOKEN to change it). */
export const DEV_NOTIFY_CALLBACK_TOKEN = 'timescales-local-notify-callback-token';

export interface LocalMessagingOptions {
  mode: 'aws' | 'notify';
  client: DynamoDBDocumentClient;
  tableName: string;
  outbox: LocalOutbox;
  clock: { now(): Date };
  /** The two real-ish channels of the `aws` mode (SES against aws-ses-v2-local, the outbox's SMS). */
  awsChannels: { email: Channel; sms: Channel };
  /** Runs a follow-up through the fire handler (set once the handler is made). */
  followUp: (payload: object) => Promise<unknown>;
  acks: AckDeps;
  /** Where Notify posts its callbacks (the local server); none: to the handler in this process. */
  callbackBaseUrl?: string | undefined;
  callbackToken?: string | undefined;
  /** Invitation links (the local server) and their tokens' key. */
  invitations?: { baseUrl: string; key: string } | undefined;
  /** Delivery receipts on (the benchmark of the `aws` path turns them off). @default true */
  receipts?: boolean;
  log?: Log | undefined;
}

export interface LocalMessaging {
  channels: { email: Channel; sms: Channel };
  /** `POST /v1/notify/*` and `GET /v1/invitations/{file}` (a 404 for the callbacks in `aws` mode). */
  handler: NotifyHandler;
  /** A reply to an alert text: in `notify` mode through Notify's received-text callback. */
  smsInbound?:
    | ((sms: { from: string; body: string }) => Promise<{ status: string; alertId?: string }>)
    | undefined;
  settled(): Promise<void>;
  /** The Notify stand-in's traffic (`notify` mode, once it has started). */
  notifyTraffic(): Promise<{ taken: number[]; refused: number } | undefined>;
  stop(): Promise<void>;
}

export function localMessaging(options: LocalMessagingOptions): LocalMessaging {
  const { outbox, clock } = options;
  const token = options.callbackToken ?? DEV_NOTIFY_CALLBACK_TOKEN;
  const wiring = {
    client: options.client,
    tableName: options.tableName,
    clock,
    ...(options.log === undefined ? {} : { log: options.log }),
    followUps: { undelivered: (payload: object) => options.followUp(payload) },
    settled: (r: { sendId: string; state: Parameters<LocalOutbox['markDelivery']>[1] }) =>
      outbox.markDelivery(r.sendId, r.state),
  };
  const handler = makeNotifyHandler(
    notifyHandlerDeps({
      ...wiring,
      callbackToken: options.mode === 'notify' ? token : undefined,
      acks: options.acks,
    }),
  );
  const recorded = (channel: Channel): Channel => recordingChannel(channel, outbox, clock);
  const pending = new Set<Promise<unknown>>();
  const standIn = lazyStandIn(options, token, handler);
  // Every receipt in flight and whatever it caused (follow-ups send, their receipts follow).
  const settled = async () => {
    do {
      await Promise.allSettled([...pending]);
      if (standIn.started()) await (await standIn.get()).settled();
    } while (pending.size > 0);
  };

  if (options.mode === 'notify') {
    const channels = notifyFireChannels({
      client: options.client,
      tableName: options.tableName,
      api: async () => {
        const notify = await standIn.get();
        return notifyClient(notify.apiKey, { baseUrl: notify.url });
      },
      ...LOCAL_NOTIFY_TEMPLATES,
      ratePerMinute: NOTIFY_RATE_PER_MINUTE,
      invitations: options.invitations,
      clock,
    });
    return {
      channels: {
        email: recorded(channels.email as Channel),
        sms: recorded(channels.sms as Channel),
      },
      handler,
      smsInbound: async (sms) => {
        const answer = await (await standIn.get()).receiveText(sms.from, sms.body);
        return answer.body as { status: string; alertId?: string };
      },
      settled,
      notifyTraffic: async () => (standIn.started() ? (await standIn.get()).traffic() : undefined),
      stop: async () => {
        await settled();
        if (standIn.started()) await (await standIn.get()).stop();
      },
    };
  }

  // The `aws` mode: the provider's event for each send, through the delivery-events handler.
  const events = makeEventsHandler(receiptDeps(wiring));
  const feedback = (channel: Channel): Channel =>
    recorded({
      name: channel.name,
      async send(message, attempt) {
        const result = await channel.send(message, attempt);
        if (options.receipts !== false) {
          const work = emitEvent(events, message, clock.now(), result.messageId).catch((error) =>
            options.log?.error('local delivery event failed', { error: String(error) }),
          );
          pending.add(work);
          void work.finally(() => pending.delete(work));
        }
        return result;
      },
    });
  return {
    channels: {
      email: feedback(options.awsChannels.email),
      sms: feedback(options.awsChannels.sms),
    },
    handler,
    settled,
    notifyTraffic: async () => undefined,
    stop: settled,
  };
}

/** The Notify stand-in, started on first use (its key and address are known before). */
function lazyStandIn(options: LocalMessagingOptions, token: string, handler: NotifyHandler) {
  const sink: CallbackSink =
    options.callbackBaseUrl === undefined
      ? inProcess(handler)
      : async (kind, body, bearer) => {
          const response = await fetch(`${options.callbackBaseUrl}/v1/notify/${kind}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
            body: JSON.stringify(body),
          });
          return { status: response.status, body: await response.json().catch(() => undefined) };
        };
  let started = false;
  const get = lazy(() => {
    started = true;
    return startNotifyStandIn({
      ...LOCAL_NOTIFY_TEMPLATES,
      callbacks: { token, sink },
      clock: () => options.clock.now(),
    });
  });
  return { get, started: () => started };
}

/** Notify's callback handed to the handler in this process, as API Gateway would. */
function inProcess(handler: NotifyHandler): CallbackSink {
  return async (kind, body, bearer) => {
    const text = JSON.stringify(body);
    const path = `/v1/notify/${kind}`;
    const answer = await handler({
      version: '2.0',
      routeKey: `POST ${path}`,
      rawPath: path,
      rawQueryString: '',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
      body: text,
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST', path } },
    } as unknown as Parameters<NotifyHandler>[0]);
    return { status: answer.statusCode ?? 500, body: JSON.parse(answer.body ?? 'null') as unknown };
  };
}

/** What SES or End User Messaging would publish for a message: delivered, or why not. */
async function emitEvent(
  events: ReturnType<typeof makeEventsHandler>,
  message: OutboundMessage,
  at: Date,
  messageId: string | undefined,
): Promise<void> {
  const id = sendId({ ...message.meta, channel: message.channel });
  const outcome = testOutcome(message.to);
  const event =
    message.channel === 'sms'
      ? {
          eventType:
            outcome === 'delivered'
              ? 'TEXT_DELIVERED'
              : outcome === 'permanent-failure'
                ? 'TEXT_UNREACHABLE'
                : 'TEXT_TTL_EXPIRED',
          eventTimestamp: at.getTime(),
          isFinal: true,
          messageId,
          context: { caseId: message.meta.caseId, reminderId: message.meta.reminderId, sendId: id },
        }
      : {
          eventType: outcome === 'delivered' ? 'Delivery' : 'Bounce',
          mail: { messageId, timestamp: at.toISOString(), tags: { sendId: [id] } },
          ...(outcome === 'delivered'
            ? { delivery: { timestamp: at.toISOString() } }
            : {
                bounce: {
                  bounceType: outcome === 'permanent-failure' ? 'Permanent' : 'Transient',
                  bounceSubType: outcome === 'permanent-failure' ? 'General' : 'MailboxFull',
                  timestamp: at.toISOString(),
                },
              }),
        };
  await new Promise((r) => setImmediate(r));
  const sns = {
    Records: [{ Sns: { MessageId: `local-${id.slice(0, 12)}`, Message: JSON.stringify(event) } }],
  } as unknown as SNSEvent;
  await events(sns);
}
