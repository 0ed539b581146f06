/**
 * Local mode's HTTP front door: the same Lambda handlers, built through the same wiring
 * (`functions/<feature>/wiring.ts`) with local overrides, behind `node:http`; each request is matched
 * against the route table (`schemas/routes.ts`) as API Gateway would and translated to an
 * HTTP API (v2) event. Exported so tests start it on port 0.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeHandler as makeAlertsHandler } from '#functions/alerts/handler.js';
import { makeAckPages } from '#functions/alerts/page.js';
import { alertsHandlerDeps } from '#functions/alerts/wiring.js';
import { makeHandler as makeEventsHandler } from '#functions/ingest/handler.js';
import { ingestDeps } from '#functions/ingest/wiring.js';
import { makeHandler as makeReadHandler } from '#functions/read/handler.js';
import { readDeps } from '#functions/read/wiring.js';
import { makeWebHandler } from '#functions/web/app.js';
import { localAuth } from '#functions/web/auth.js';
import { LocalSessions } from '#functions/web/session.js';
import { cognitoConfigured, webDeps } from '#functions/web/wiring.js';
import type { BoundEngine } from '#kernel/engine/bound.js';
import { NotFoundError } from '#kernel/errors.js';
import { type Clock, type Scheduler, systemClock } from '#kernel/ports.js';
import { MAX_BODY_BYTES } from '#platform/body.js';
import { makeDocumentClient } from '#platform/clients.js';
import { MethodNotAllowedError, PayloadTooLargeError } from '#platform/errors.js';
import { errorAnswer, type HttpResult } from '#platform/http.js';
import { RecordingScheduler } from '#platform/memory/scheduler.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { type Route, routeEntries, routeKey } from '#schemas/routes.js';
import { webRouteEntries } from '#schemas/web.js';

export { RecordingScheduler };

export interface LocalServerOptions {
  /** 0 picks a free port. */
  port: number;
  host?: string;
  dynamoEndpoint: string;
  tableName: string;
  webhookSecret: string;
  engine: BoundEngine;
  /** The timer seam: the reminders work plugs its local driver in here. */
  scheduler?: Scheduler;
  clock?: Clock;
  /** Routes that exist only in local mode (`/local/outbox`, `/local/clock`). */
  localRoutes?: LocalRoutes;
  /**
   * GOV.UK Notify's callbacks and the invitations (`LocalReminders.delivery`). @default every
   * such route answers 404
   */
  delivery?: Handler;
  /**
   * Its fallback contact is shown in the reminders view (as `@fallback`) and acknowledges
   * alerts by its phone; its `links.ackBaseUrl` is where ack links point; its name is at the top
   * of the managers' pages. @default "Local council", no fallback
   */
  authority?: Pick<AuthorityConfig, 'fallbackContact'> &
    Partial<Pick<AuthorityConfig, 'authority' | 'links'>>;
  /** The alert-token key the ack links are signed with (local mode's development key). */
  alertTokenKey?: string;
  /** The environment read for the Cognito settings, which refuse local sign-in. @default process.env */
  env?: NodeJS.ProcessEnv;
}

/** What local-only routes must offer: an answer, or undefined when the path is not theirs. */
export interface LocalRoutes {
  handle(method: string, path: string, body: string | Buffer): Promise<HttpResult> | undefined;
}

export interface LocalServer {
  url: string;
  port: number;
  scheduler: Scheduler;
  close(): Promise<void>;
}

/** A route as the front door sees it: the JSON API's and the pages' alike. */
interface AnyRoute {
  method: 'GET' | 'POST';
  path: `/${string}`;
  lambda: Route['lambda'] | 'web';
}

type Matched = { route: AnyRoute; routeKey: string; pathParameters?: Record<string, string> };

/** A path template as a pattern: literal text as is, each `{name}` one non-empty segment. */
function patternOf(template: string): RegExp {
  const literally = (text: string) => text.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${template
      .split(/\{\w+\}/)
      .map(literally)
      .join('([^/]+)')}$`,
  );
}

const ROUTES: AnyRoute[] = [
  ...routeEntries().map(([, route]) => route),
  ...webRouteEntries().map(([, route]) => ({ ...route, lambda: 'web' as const })),
];

const PATTERNS = ROUTES.map((route) => ({
  route,
  names: [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string),
  pattern: patternOf(route.path),
}));

/**
 * The route a request is for, as API Gateway matches its route keys; 404 if no route has the
 * path, 405 naming the methods it does take if none has the method. (API Gateway itself
 * answers an unmatched method 404: see docs/api.md.)
 */
function match(method: string, path: string): Matched | Error {
  const candidates = PATTERNS.flatMap(({ route, names, pattern }) => {
    const found = pattern.exec(path);
    return found === null ? [] : [{ route, names, values: found.slice(1) }];
  });
  if (candidates.length === 0) return new NotFoundError(`no resource at ${path}`);
  const chosen = candidates.find((c) => c.route.method === method);
  if (chosen === undefined) {
    const allow = [...new Set(candidates.map((c) => c.route.method))].sort();
    return new MethodNotAllowedError(`${method} is not allowed on ${path}`, allow);
  }
  const { route, names, values } = chosen;
  if (names.length === 0) return { route, routeKey: routeKey(route) };
  const pathParameters: Record<string, string> = {};
  for (const [i, name] of names.entries()) {
    try {
      pathParameters[name] = decodeURIComponent(values[i] as string);
    } catch {
      return new NotFoundError(`no resource at ${path}`);
    }
  }
  return { route, routeKey: routeKey(route), pathParameters };
}

export async function startLocalServer(options: LocalServerOptions): Promise<LocalServer> {
  const client = makeDocumentClient({ endpoint: options.dynamoEndpoint });
  const { tableName, engine } = options;
  const scheduler = options.scheduler ?? new RecordingScheduler();
  const env = options.env ?? process.env;
  if (cognitoConfigured(env)) {
    // The local sign-in must never run where a Cognito pool is configured.
    throw new Error(
      'local mode refuses to start with COGNITO_* variables set: the local sign-in would bypass the identity provider',
    );
  }
  const handlers: Record<AnyRoute['lambda'], Handler> = {
    events: makeEventsHandler({
      webhookSecret: options.webhookSecret,
      ...ingestDeps({ client, tableName, engine, scheduler, clock: options.clock ?? systemClock }),
    }),
    read: makeReadHandler(readDeps({ client, tableName, engine, authority: options.authority })),
    web: makeWebHandler(
      webDeps({
        client,
        tableName,
        engine,
        authority: options.authority,
        auth: localAuth(new LocalSessions()),
        clock: options.clock ?? systemClock,
        secureCookies: false,
      }),
    ),
    alerts: makeAlertsHandler({
      ...alertsHandlerDeps({
        client,
        tableName,
        authority: options.authority ?? {},
        scheduler,
        clock: options.clock ?? systemClock,
        plans: engine.plans,
        tokenKey: options.alertTokenKey,
      }),
      pages: makeAckPages(options.authority?.authority),
    }),
    delivery:
      options.delivery ??
      (async (event) =>
        errorAnswer(new NotFoundError(`no resource at ${event.rawPath}`), event.rawPath)),
  };

  const server: Server = createServer((req, res) => {
    serve(req, res, handlers, options.localRoutes).catch((error: unknown) => {
      send(res, errorAnswer(error));
    });
  });
  // A port taken since it was checked rejects here (the caller stops what it started).
  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(options.port, options.host ?? '127.0.0.1', () => {
      server.off('error', fail);
      done();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? '127.0.0.1'}:${port}`,
    port,
    scheduler,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

type Handler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

async function serve(
  req: IncomingMessage,
  res: ServerResponse,
  handlers: Record<AnyRoute['lambda'], Handler>,
  localRoutes?: LocalRoutes,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = (req.method ?? 'GET').toUpperCase();
  if (localRoutes !== undefined && url.pathname.startsWith('/local/')) {
    const answer = localRoutes.handle(method, url.pathname, (await readBody(req)) ?? '');
    if (answer !== undefined) {
      send(res, await answer);
      return;
    }
  }
  const matched = match(method, url.pathname);
  if (matched instanceof Error) {
    req.resume();
    send(res, errorAnswer(matched, url.pathname));
    return;
  }
  const body = await readBody(req);
  if (body === undefined) {
    const error = new PayloadTooLargeError(`the body is larger than ${MAX_BODY_BYTES} bytes`);
    send(res, errorAnswer(error, url.pathname), true);
    return;
  }
  const event = toApiGatewayEvent(req, url, method, matched, body);
  send(res, await handlers[matched.route.lambda](event));
}

/** Reads the body, or undefined once it exceeds what any handler would accept. */
async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES + 1024) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function toApiGatewayEvent(
  req: IncomingMessage,
  url: URL,
  method: string,
  matched: Matched,
  body: Buffer,
): APIGatewayProxyEventV2 {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined)
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(',') : value;
  }
  // API Gateway (payload 2.0) passes cookies as a list and not as a header.
  const cookies = headers.cookie
    ?.split(';')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  delete headers.cookie;
  // API Gateway joins repeated query parameters with commas.
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams)
    query[name] = name in query ? `${query[name]},${value}` : value;
  const now = new Date();
  return {
    version: '2.0',
    routeKey: matched.routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(cookies === undefined || cookies.length === 0 ? {} : { cookies }),
    ...(Object.keys(query).length > 0 ? { queryStringParameters: query } : {}),
    ...(matched.pathParameters === undefined ? {} : { pathParameters: matched.pathParameters }),
    requestContext: {
      accountId: 'local',
      apiId: 'local',
      domainName: url.host,
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp: req.socket.remoteAddress ?? '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: matched.routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...(body.length > 0
      ? { body: body.toString('base64'), isBase64Encoded: true }
      : { isBase64Encoded: false }),
  };
}

function send(res: ServerResponse, result: HttpResult, closeConnection = false): void {
  if (res.headersSent) return;
  res.writeHead(result.statusCode, {
    ...result.headers,
    ...(result.cookies === undefined ? {} : { 'set-cookie': result.cookies }),
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  // As API Gateway does: a base64 body goes out as its bytes.
  res.end(result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body);
}
