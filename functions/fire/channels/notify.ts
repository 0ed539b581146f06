/**
 * Email and SMS through GOV.UK Notify (the official `notifications-node-client`), as the
 * authority's provider: one generic email template (`((subject))`, `((body))`) and one SMS
 * template (`((body))`). Each notification's `reference` is its send id, so Notify's delivery
 * receipt finds the send (`POST /v1/notify/delivery-receipts`).
 *
 * - The body: the email's parts in Notify's markdown (`notify-markdown.ts`); a calendar
 *   invitation, which Notify cannot attach, becomes a link to the `.ics` the API serves.
 * - Notify's rate limit (3,000 requests a minute per key): every request waits its turn in
 *   this process's share of it (`SlidingWindowLimit`). A 429 holds every send back and is
 *   tried again after the window moves on; still refused, the send is `rateLimited` — not
 *   taken, so the claim is left for the timer's retry (never lost, never doubled). So is a
 *   send whose turn would come after the invocation's deadline (`WindowFullError`): waiting
 *   past the function's timeout would lose the record of what was sent before it.
 * - An outage (5xx, a timeout, no answer) is retryable as any provider's. Before trying again
 *   a send whose first try got no answer, Notify is asked for a notification with its
 *   reference: found, it was taken, and is not sent twice. So is a send under a claim taken over
 *   from an invocation that stopped mid-send (`takenOver`): it may have sent before it stopped.
 */
import { sendId } from '#kernel/reminders/delivery.js';
import { type ClientSource, lazyClient } from '#platform/lazy.js';
import { type Channel, ChannelError, type OutboundMessage } from '../ports.js';
import { notifyMarkdown } from './notify-markdown.js';
import { type SlidingWindowLimit, WindowFullError } from './rate-limit.js';

/** What we call of `NotifyClient` (its responses are axios-shaped: `{ data }`). */
export interface NotifyApi {
  sendEmail(
    templateId: string,
    emailAddress: string,
    options: { personalisation: Record<string, string>; reference: string },
  ): Promise<{ data: { id: string } }>;
  sendSms(
    templateId: string,
    phoneNumber: string,
    options: { personalisation: Record<string, string>; reference: string },
  ): Promise<{ data: { id: string } }>;
  getNotifications(
    templateType?: string,
    status?: string,
    reference?: string,
  ): Promise<{ data: { notifications: { id: string; reference?: string | null }[] } }>;
}

export interface NotifyOptions {
  emailTemplateId: string;
  smsTemplateId: string;
  limit: SlidingWindowLimit;
  /** Stores an invitation and gives the link to it (`GET /v1/invitations/{file}`). @default dropped */
  invitation?: ((message: OutboundMessage, ics: string) => Promise<string>) | undefined;
  /** 429s tried again, each after the window moves on. @default 3 */
  rateLimitRetries?: number;
}

/** Notify's two channels over one client and one rate limit. */
export function notifyChannels(
  client: ClientSource<NotifyApi>,
  options: NotifyOptions,
): { email: Channel; sms: Channel } {
  const api = lazyClient(client);
  // Sends whose last try got no answer: asked about before they are tried again.
  const unanswered = new Set<string>();
  const sendOnce = async (name: 'email' | 'sms', message: OutboundMessage, takenOver: boolean) => {
    const reference = sendId({ ...message.meta, channel: name });
    const notify = await api();
    if (takenOver || unanswered.has(reference)) {
      const taken = await alreadyTaken(notify, name, reference, options.limit);
      if (taken !== undefined) {
        unanswered.delete(reference);
        return { messageId: taken };
      }
    }
    const request = await requestOf(name, message, reference, options);
    for (let attempt = 0; ; attempt++) {
      await options.limit.take();
      try {
        const { data } = await request(notify);
        unanswered.delete(reference);
        return { messageId: data.id };
      } catch (error) {
        const refused = toNotifyError(error, name);
        if (refused.rateLimited && attempt < (options.rateLimitRetries ?? 3)) {
          // The window is full (other processes share the key): wait for it to move on.
          options.limit.hold(Math.min(60_000, 5_000 * 2 ** attempt));
          continue;
        }
        if (refused.code === 'NotifyUnanswered') unanswered.add(reference);
        throw refused;
      }
    }
  };
  const make = (name: 'email' | 'sms'): Channel => ({
    name,
    async send(message, attempt) {
      try {
        return await sendOnce(name, message, attempt?.takenOver === true);
      } catch (error) {
        if (!(error instanceof WindowFullError)) throw error;
        // Not sent: left for the timer's retry, as a send still refused by a 429 is.
        throw new ChannelError(error.message, {
          retryable: false,
          code: 'NotifyWindowFull',
          rateLimited: true,
        });
      }
    },
  });
  return { email: make('email'), sms: make('sms') };
}

async function requestOf(
  name: 'email' | 'sms',
  message: OutboundMessage,
  reference: string,
  options: NotifyOptions,
): Promise<(api: NotifyApi) => Promise<{ data: { id: string } }>> {
  if (name === 'sms')
    return (api) =>
      api.sendSms(options.smsTemplateId, message.to, {
        personalisation: { body: message.text },
        reference,
      });
  const link =
    message.ics === undefined || options.invitation === undefined
      ? undefined
      : await options.invitation(message, message.ics);
  const body =
    message.layout === undefined
      ? `${message.text}${link === undefined ? '' : `\n\nAdd it to your calendar: ${link}`}`
      : notifyMarkdown(message.layout, link);
  const personalisation = { subject: message.subject ?? message.meta.caseId, body };
  return (api) =>
    api.sendEmail(options.emailTemplateId, message.to, { personalisation, reference });
}

/** The id of a notification Notify already holds with this reference, if any. */
async function alreadyTaken(
  api: NotifyApi,
  name: 'email' | 'sms',
  reference: string,
  limit: SlidingWindowLimit,
): Promise<string | undefined> {
  await limit.take();
  try {
    const { data } = await api.getNotifications(name, undefined, reference);
    return data.notifications.find((n) => n.reference === reference)?.id;
  } catch (error) {
    throw toNotifyError(error, name);
  }
}

/**
 * Notify's answer as a `ChannelError`: 429 rate-limited; 5xx and no answer at all retryable
 * (no answer: it may have been taken — see `alreadyTaken`); any other 4xx refused, named by
 * Notify's error (`BadRequestError`, `AuthError`, …), never its message (it may echo the address).
 */
function toNotifyError(error: unknown, channel: string): ChannelError {
  if (error instanceof ChannelError) return error;
  const response = (error as { response?: { status?: number; data?: unknown } })?.response;
  const status = response?.status;
  if (status === undefined)
    return new ChannelError(`${channel} send failed: no answer from Notify`, {
      retryable: true,
      code: 'NotifyUnanswered',
      cause: error,
    });
  if (status === 429)
    return new ChannelError(`${channel} send held back: Notify's rate limit`, {
      retryable: false,
      rateLimited: true,
      code: 'RateLimitError',
      cause: error,
    });
  const named = (response?.data as { errors?: { error?: unknown }[] } | undefined)?.errors?.[0]
    ?.error;
  const code =
    typeof named === 'string' && /^[A-Za-z]{1,60}$/.test(named) ? named : `HTTP${status}`;
  return new ChannelError(`${channel} send failed: Notify ${status} ${code}`, {
    retryable: status >= 500,
    code,
    cause: error,
  });
}

/**
 * The official client, over `fetch` with a timeout (its default HTTP client waits for ever):
 * `baseUrl` for local mode's stand-in, else Notify's own API.
 */
export async function notifyClient(
  apiKey: string,
  options: { baseUrl?: string | undefined; timeoutMs?: number } = {},
): Promise<NotifyApi> {
  const { NotifyClient } = (await import('notifications-node-client')) as unknown as {
    NotifyClient: new (...args: string[]) => NotifyApi & { setClient(client: unknown): void };
  };
  const client =
    options.baseUrl === undefined
      ? new NotifyClient(apiKey)
      : new NotifyClient(options.baseUrl, apiKey);
  client.setClient(fetchClient(options.timeoutMs ?? 10_000));
  return client;
}

interface RequestOptions {
  method: string;
  url: string;
  data?: unknown;
  headers?: Record<string, string>;
}

/** An axios-shaped HTTP client on `fetch`: `{ status, data }`, or an error with `response`. */
function fetchClient(timeoutMs: number) {
  return async (options: RequestOptions) => {
    const response = await fetch(options.url, {
      method: options.method.toUpperCase(),
      headers: {
        ...options.headers,
        ...(options.data === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(options.data === undefined ? {} : { body: JSON.stringify(options.data) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      // Not JSON (a proxy's error page): kept as text.
    }
    if (!response.ok)
      throw Object.assign(new Error(`Notify answered ${response.status}`), {
        response: { status: response.status, data },
      });
    return { status: response.status, data };
  };
}
