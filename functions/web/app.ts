/**
 * The managers' pages: one handler for every `/app` route (`schemas/web.ts`). Thin: find the
 * route, establish who is signed in, validate the query or form with its zod schema, call the
 * use case, render its view. Bad input is a 400 page naming the field (a CSV request gets an
 * RFC 9457 problem instead); nothing a caller sends becomes a 5xx.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type HttpResult, header, problemKind, toProblem } from '#commons/http.js';
import { errorResult } from '#commons/respond.js';
import { ROLE_NAMES, type Role, type Viewer } from '#domain/access.js';
import type { Clock, Log } from '#domain/ports.js';
import { type WebRoute, type WebRouteName, webRouteEntries } from '#schemas/web.js';
import type * as z from '#schemas/zod.js';
import { ForbiddenError, fieldErrors, NotFoundError, ValidationError } from '#use-cases/errors.js';
import type { ManagerDeps } from '#use-cases/manager-views.js';
import type { ReportDeps } from '#use-cases/reports.js';
import { type ViewerDeps, viewerFor } from '#use-cases/viewer.js';
import type { Assets } from './assets.js';
import type { WebAuth } from './auth.js';
import { newNonce, pageHeaders, redirect, safeNext, withBody } from './http.js';
import { PAGES } from './pages.js';
import type { Render } from './render.js';
import { CSRF_COOKIE, csrfFor, readCookies, SESSION_COOKIE } from './session.js';

export interface WebDeps {
  views: ManagerDeps;
  reports: ReportDeps;
  viewer: ViewerDeps;
  auth: WebAuth;
  render: Render;
  assets: Assets;
  /** The council's name, at the top of every page. */
  authority: string;
  /** `Secure` cookies (AWS: HTTPS only). */
  secureCookies: boolean;
  clock: Clock;
  log: Log;
}

export type WebHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

const BY_ROUTE_KEY = new Map(
  webRouteEntries().map(([name, route]) => [`${route.method} ${route.path}`, { name, route }]),
);

/** Everything a page needs to know about the request. */
export interface Request {
  event: APIGatewayProxyEventV2;
  name: WebRouteName;
  route: WebRoute;
  cookies: Record<string, string>;
  /** The form fields of a POST (urlencoded). */
  form: Record<string, string>;
  nonce: string;
  now: Date;
}

export function makeWebHandler(deps: WebDeps): WebHandler {
  return async (event) => {
    const found = BY_ROUTE_KEY.get(event.routeKey);
    const nonce = newNonce();
    try {
      if (found === undefined) throw new NotFoundError(`no page ${event.rawPath}`);
      const request: Request = {
        event,
        ...found,
        cookies: readCookies(event.cookies, header(event.headers, 'cookie')),
        form: found.route.method === 'POST' ? formOf(event) : {},
        nonce,
        now: deps.clock.now(),
      };
      if (found.route.auth === 'public') return await PAGES[found.name](request, undefined, deps);
      const viewer = await signedInViewer(request, deps);
      if (!(viewer instanceof Object && 'personId' in viewer)) return viewer;
      return await PAGES[found.name](request, viewer, deps);
    } catch (error) {
      return errorPage(error, event, nonce, deps);
    }
  };
}

/** The viewer, or the answer for a request without one (a redirect to sign in, or a 403 page). */
async function signedInViewer(request: Request, deps: WebDeps): Promise<Viewer | HttpResult> {
  const signedIn = await deps.auth.identify(request.cookies[SESSION_COOKIE], request.now);
  if (signedIn === undefined) {
    if (request.route.method !== 'GET') throw new ForbiddenError('sign in first');
    const next = `${request.event.rawPath}${request.event.rawQueryString ? `?${request.event.rawQueryString}` : ''}`;
    return redirect(`/app/sign-in?next=${encodeURIComponent(next)}`);
  }
  const identified = await viewerFor(signedIn, request.now, deps.viewer);
  if ('unknown' in identified)
    throw new ForbiddenError(
      `you are signed in, but the directory has nobody with your ${signedIn.personId === undefined ? 'email' : 'id'}: ask the service's administrator to add you`,
    );
  if (identified.viewer.roles.length === 0)
    throw new ForbiddenError(
      'your account has no Timescales role (team manager, head of service or EDT manager): ask the service’s administrator for one',
    );
  return identified.viewer;
}

/** A parsed query or form, or a `ValidationError` naming each bad field. */
export function parseWith<S extends z.ZodMiniType>(
  schema: S,
  value: unknown,
  where: string,
): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success)
    throw new ValidationError(`invalid ${where}`, { errors: fieldErrors(result.error) });
  return result.data;
}

function formOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return Object.fromEntries(new URLSearchParams(raw));
}

/** Renders a full page: the layout's shared context plus the page's own. */
export function page(
  request: Pick<Request, 'nonce' | 'cookies' | 'event'>,
  viewer: Viewer | undefined,
  deps: WebDeps,
  view: string,
  context: Record<string, unknown>,
  options: { status?: number; cookies?: string[] } = {},
): HttpResult {
  const session = request.cookies[SESSION_COOKIE];
  const html = deps.render(view, {
    ...layoutContext(request, viewer, deps),
    csrf: session === undefined ? undefined : csrfFor(session),
    ...context,
  });
  const targets = deps.auth.mode === 'cognito' ? [deps.auth.settings.domain] : [];
  return withBody(
    options.status ?? 200,
    pageHeaders(request.nonce, targets),
    html,
    header(request.event.headers, 'accept-encoding'),
    options.cookies,
  );
}

function layoutContext(
  request: Pick<Request, 'nonce' | 'event'>,
  viewer: Viewer | undefined,
  deps: WebDeps,
): Record<string, unknown> {
  return {
    authority: deps.authority,
    stylesheet: deps.assets.stylesheet,
    cspNonce: request.nonce,
    path: request.event.rawPath,
    viewer,
    roleNames: viewer?.roles.map((r: Role) => ROLE_NAMES[r]) ?? [],
  };
}

/** A thrown error as a page: 400 with the fields, 403, 404; anything else 500, logged. */
function errorPage(
  error: unknown,
  event: APIGatewayProxyEventV2,
  nonce: string,
  deps: WebDeps,
): HttpResult {
  const wantsCsv =
    event.rawPath.endsWith('.csv') || /(^|&)format=csv(&|$)/.test(event.rawQueryString ?? '');
  if (wantsCsv) return errorResult(error, event.rawPath);
  const kind = problemKind(error);
  const problem = toProblem(error, event.rawPath);
  if (kind === undefined)
    deps.log.error('page failed', { error: error instanceof Error ? error.name : 'unknown' });
  const titles: Record<number, string> = {
    400: 'There is a problem with the request',
    403: 'You cannot see this page',
    404: 'Page not found',
    500: 'Sorry, there is a problem with the service',
  };
  try {
    return page(
      { nonce, cookies: {}, event },
      undefined,
      deps,
      'error.njk',
      {
        status: problem.status,
        title: titles[problem.status] ?? problem.title,
        detail:
          kind === undefined ? 'Try again later. The problem has been logged.' : problem.detail,
        errors: problem.errors ?? [],
      },
      { status: problem.status },
    );
  } catch {
    return errorResult(error, event.rawPath);
  }
}

export { CSRF_COOKIE, redirect, safeNext };
