/**
 * A stand-in for GOV.UK Notify's API v2, for local mode (`MESSAGING=notify npm start`) and the
 * tests: the endpoints `notifications-node-client` calls, each request's JWT checked as Notify
 * checks it (HS256 with the key's secret, `iss` the service id, `iat` within 30 seconds), and
 * Notify's documented test behaviour — `07700900002` and `perm-fail@simulator.notify` give
 * `permanent-failure`, `07700900003` and `temp-fail@simulator.notify` `temporary-failure`,
 * anything else `delivered` — reported to the delivery-receipt callback with its bearer token.
 * It holds Notify's requests a minute per key (a sliding 60 s), answering 429 beyond; a text
 * to the inbound number (`receiveText`) goes to the received-text callback.
 *
 * Not a full Notify: no letters or uploads, only the authority's two templates (`((subject))`/
 * `((body))` email, `((body))` SMS), and every notification is delivered or failed at once.
 */
import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NOTIFY_RATE_PER_MINUTE } from '#platform/config.js';

/** A notification as Notify's API shows it. */
export interface StandInNotification {
  id: string;
  reference: string | null;
  type: 'email' | 'sms';
  email_address?: string;
  phone_number?: string;
  status: string;
  template: { id: string; version: number; uri: string };
  body: string;
  subject?: string;
  created_at: string;
  sent_at: string | null;
  completed_at: string | null;
}

/** Where the callbacks go: over HTTP to the service's URLs, or handed to a function. */
export type CallbackSink = (
  kind: 'delivery-receipts' | 'received-text-messages',
  body: unknown,
  bearer: string,
) => Promise<{ status: number; body: unknown }>;

export interface NotifyStandInOptions {
  port?: number;
  /** @default a fixed local service id */
  serviceId?: string;
  emailTemplateId: string;
  smsTemplateId: string;
  /** Requests a minute per key. @default Notify's, `NOTIFY_RATE_PER_MINUTE` */
  rateLimit?: number;
  /** The callbacks' bearer token and where they go. @default none: no callbacks */
  callbacks?: { token: string; sink: CallbackSink };
  /** The wall clock (JWT `iat`, the rate limit). */
  now?: () => number;
  /** When notifications are created and completed (local mode's simulated clock). @default now */
  clock?: () => Date;
}

export interface NotifyStandIn {
  url: string;
  /** An API key for this service, in Notify's format (`<name>-<service id>-<secret>`). */
  apiKey: string;
  notifications(): StandInNotification[];
  /** Sets where callbacks go (the service's URL is known once it listens). */
  setCallbacks(callbacks: { token: string; sink: CallbackSink }): void;
  /** A text to the service's inbound number, sent on to the received-text callback. */
  receiveText(from: string, message: string): Promise<{ status: number; body: unknown }>;
  /** Resolves once every callback in flight (and any they caused) has been answered. */
  settled(): Promise<void>;
  /** When each request was taken (wall clock, ms) and how many were refused 429 (benchmarks). */
  traffic(): { taken: number[]; refused: number };
  stop(): Promise<void>;
}

const LOCAL_SERVICE = '26785a09-ab16-4eb0-8407-a37497a57506';
const SECRET = '3d844edf-8d35-48ac-975b-e847b4f122b0';

/** Notify's documented outcomes for its test numbers and addresses. */
export function testOutcome(to: string): 'delivered' | 'permanent-failure' | 'temporary-failure' {
  const address = to.trim().toLowerCase();
  const phone = address
    .replace(/[\s()-]/g, '')
    .replace(/^\+44/, '0')
    .replace(/^0044/, '0');
  if (address === 'perm-fail@simulator.notify' || phone === '07700900002')
    return 'permanent-failure';
  if (address === 'temp-fail@simulator.notify' || phone === '07700900003')
    return 'temporary-failure';
  return 'delivered';
}

export async function startNotifyStandIn(options: NotifyStandInOptions): Promise<NotifyStandIn> {
  const serviceId = options.serviceId ?? LOCAL_SERVICE;
  const now = options.now ?? Date.now;
  const limit = options.rateLimit ?? NOTIFY_RATE_PER_MINUTE;
  const stamp = () => (options.clock?.() ?? new Date(now())).toISOString();
  let callbacks = options.callbacks;
  const stored: StandInNotification[] = [];
  const received: Record<string, string>[] = [];
  const requests: number[] = [];
  const taken: number[] = [];
  let refused = 0;
  const inFlight = new Set<Promise<unknown>>();
  const templates = new Map([
    [options.emailTemplateId, { type: 'email' as const, body: '((body))', subject: '((subject))' }],
    [options.smsTemplateId, { type: 'sms' as const, body: '((body))' }],
  ]);
  let base = '';

  const track = <T>(work: Promise<T>): Promise<T> => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  };
  /** Posts a callback, trying again a few times as Notify does. */
  const post = async (kind: Parameters<CallbackSink>[0], body: unknown) => {
    if (callbacks === undefined) return { status: 0, body: undefined };
    let last: { status: number; body: unknown } = { status: 0, body: undefined };
    for (let attempt = 0; attempt < 4; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
      try {
        last = await callbacks.sink(kind, body, callbacks.token);
        if (last.status < 500) return last;
      } catch (error) {
        last = { status: 0, body: String(error) };
      }
    }
    return last;
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => send(res, 500, errors(500, 'Exception', 'Internal server error')));
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const body = await readJson(req);
    const auth = checkJwt(req.headers.authorization, serviceId, SECRET, now());
    if (auth !== undefined) return send(res, 403, errors(403, 'AuthError', auth));
    const at = now();
    while (requests.length > 0 && (requests[0] as number) <= at - 60_000) requests.shift();
    if (requests.length >= limit) {
      refused++;
      return send(
        res,
        429,
        errors(
          429,
          'RateLimitError',
          `Exceeded rate limit for key type LIVE of ${limit} requests per 60 seconds`,
        ),
      );
    }
    requests.push(at);
    taken.push(at);
    const path = url.pathname;
    const method = req.method ?? 'GET';
    if (
      method === 'POST' &&
      (path === '/v2/notifications/email' || path === '/v2/notifications/sms')
    )
      return create(res, path.endsWith('email') ? 'email' : 'sms', body);
    if (method === 'POST' && path === '/v2/notifications/letter')
      return send(
        res,
        400,
        errors(400, 'BadRequestError', 'Service is not allowed to send letters'),
      );
    if (method === 'GET' && path === '/v2/notifications') return list(res, url.searchParams);
    const one = /^\/v2\/notifications\/([0-9a-f-]{36})$/.exec(path);
    if (method === 'GET' && one !== null) {
      const found = stored.find((n) => n.id === one[1]);
      return found === undefined
        ? send(res, 404, errors(404, 'NoResultFound', 'No result found'))
        : send(res, 200, found);
    }
    const template = /^\/v2\/template\/([0-9a-f-]{36})(?:\/version\/\d+|\/preview)?$/.exec(path);
    if (template !== null) return templateAnswer(res, template[1] as string, method, body);
    if (method === 'GET' && path === '/v2/templates')
      return send(res, 200, {
        templates: [...templates]
          .map(([id]) => templateView(id))
          .filter(
            (t) => url.searchParams.get('type') === null || t.type === url.searchParams.get('type'),
          ),
      });
    if (method === 'GET' && path === '/v2/received-text-messages')
      return send(res, 200, {
        received_text_messages: [...received].reverse(),
        links: { current: `${base}${path}` },
      });
    return send(res, 404, errors(404, 'NoResultFound', 'No result found'));
  }

  function create(res: ServerResponse, type: 'email' | 'sms', body: Record<string, unknown>) {
    const templateId = String(body.template_id ?? '');
    const template = templates.get(templateId);
    if (template === undefined || template.type !== type)
      return send(res, 400, errors(400, 'BadRequestError', 'Template not found'));
    const to = String((type === 'email' ? body.email_address : body.phone_number) ?? '');
    const valid =
      type === 'email' ? /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(to) : /^\+?[0-9 ]{10,16}$/.test(to);
    if (!valid)
      return send(
        res,
        400,
        errors(
          400,
          'ValidationError',
          `${type === 'email' ? 'email_address' : 'phone_number'} Not a valid ${type === 'email' ? 'email address' : 'phone number'}`,
        ),
      );
    const personalisation = (body.personalisation ?? {}) as Record<string, unknown>;
    const missing = (type === 'email' ? ['subject', 'body'] : ['body']).filter(
      (name) => typeof personalisation[name] !== 'string',
    );
    if (missing.length > 0)
      return send(
        res,
        400,
        errors(400, 'BadRequestError', `Missing personalisation: ${missing.join(', ')}`),
      );
    const created = stamp();
    const n: StandInNotification = {
      id: randomUUID(),
      reference: typeof body.reference === 'string' ? body.reference : null,
      type,
      ...(type === 'email' ? { email_address: to } : { phone_number: to }),
      status: 'sending',
      template: { id: templateId, version: 1, uri: `${base}/v2/template/${templateId}/version/1` },
      body: String(personalisation.body),
      ...(type === 'email' ? { subject: String(personalisation.subject) } : {}),
      created_at: created,
      sent_at: created,
      completed_at: null,
    };
    stored.push(n);
    send(res, 201, {
      id: n.id,
      reference: n.reference,
      content:
        type === 'email'
          ? {
              subject: n.subject,
              body: n.body,
              from_email: 'timescales@notifications.service.gov.uk',
            }
          : { body: n.body, from_number: 'TIMESCALES' },
      uri: `${base}/v2/notifications/${n.id}`,
      template: n.template,
    });
    // The receipt follows the answer, as Notify's does.
    track(
      new Promise((r) => setImmediate(r)).then(async () => {
        n.status = testOutcome(to);
        n.completed_at = stamp();
        await post('delivery-receipts', {
          id: n.id,
          reference: n.reference,
          to,
          status: n.status,
          created_at: n.created_at,
          completed_at: n.completed_at,
          sent_at: n.sent_at,
          notification_type: type,
          template_id: templateId,
          template_version: 1,
        });
      }),
    );
  }

  function list(res: ServerResponse, query: URLSearchParams) {
    const found = stored
      .filter((n) => query.get('template_type') === null || n.type === query.get('template_type'))
      .filter((n) => query.get('status') === null || n.status === query.get('status'))
      .filter((n) => query.get('reference') === null || n.reference === query.get('reference'))
      .reverse();
    send(res, 200, { notifications: found, links: { current: `${base}/v2/notifications` } });
  }

  function templateView(id: string) {
    const t = templates.get(id);
    return {
      id,
      name: t?.type === 'email' ? 'Timescales email' : 'Timescales text message',
      type: t?.type,
      created_at: '2026-01-01T00:00:00.000000Z',
      updated_at: null,
      created_by: 'timescales@example.gov.uk',
      version: 1,
      body: t?.body,
      ...(t?.subject === undefined ? {} : { subject: t.subject }),
    };
  }

  function templateAnswer(
    res: ServerResponse,
    id: string,
    method: string,
    body: Record<string, unknown>,
  ) {
    if (!templates.has(id)) return send(res, 404, errors(404, 'NoResultFound', 'No result found'));
    if (method === 'POST') {
      const values = (body.personalisation ?? {}) as Record<string, string>;
      const fill = (text: string | undefined) =>
        text?.replace(/\(\((\w+)\)\)/g, (_, k) => values[k] ?? `((${k}))`);
      const t = templateView(id);
      return send(res, 200, {
        id,
        type: t.type,
        version: 1,
        body: fill(t.body),
        subject: fill(t.subject) ?? null,
      });
    }
    return send(res, 200, templateView(id));
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, '127.0.0.1', done));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    apiKey: `timescales_local-${serviceId}-${SECRET}`,
    notifications: () => [...stored],
    setCallbacks: (next) => {
      callbacks = next;
    },
    receiveText: (from, message) => {
      const text = {
        id: randomUUID(),
        source_number: from.replace(/^\+/, ''),
        destination_number: '07700900000',
        message,
        date_received: stamp(),
        service_id: serviceId,
        notify_number: '07700900000',
        created_at: stamp(),
        user_number: from.replace(/^\+/, ''),
        content: message,
      };
      received.push(text);
      return track(post('received-text-messages', text));
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
    },
    traffic: () => ({ taken: [...taken], refused }),
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

/** Why a request's JWT is refused (Notify's words), or undefined when it is good. */
function checkJwt(header: string | undefined, serviceId: string, secret: string, now: number) {
  const token = /^Bearer (\S+)$/.exec(header ?? '')?.[1];
  if (token === undefined) return 'Unauthorized: authentication token must be provided';
  const [head, payload, signature] = token.split('.');
  if (head === undefined || payload === undefined || signature === undefined)
    return 'Invalid token: signature, api token not found';
  const expected = createHmac('sha256', secret).update(`${head}.${payload}`).digest();
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'Invalid token: signature, api token not found';
  let claims: { iss?: unknown; iat?: unknown; alg?: unknown };
  try {
    const alg = (JSON.parse(Buffer.from(head, 'base64url').toString()) as { alg?: unknown }).alg;
    if (alg !== 'HS256') return 'Invalid token: algorithm used is not HS256';
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as typeof claims;
  } catch {
    return 'Invalid token: signature, api token not found';
  }
  if (claims.iss !== serviceId) return 'Invalid token: service not found';
  if (typeof claims.iat !== 'number' || Math.abs(now / 1000 - claims.iat) > 30)
    return 'Error: Your system clock must be accurate to within 30 seconds';
  return undefined;
}

function errors(status: number, error: string, message: string) {
  return { errors: [{ error, message }], status_code: status };
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return {};
  try {
    const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function send(res: ServerResponse, status: number, body: unknown): undefined {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
