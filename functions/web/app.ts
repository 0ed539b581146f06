/**
 * The managers' pages: one handler for every `/app` route (`schemas/web.ts`). Thin: find the
 * route, establish who is signed in, validate the query or form with its zod schema, call the
 * use case, render its view. Bad input is a 400 page naming the field (a CSV request gets an
 * RFC 9457 problem instead); nothing a caller sends becomes a 5xx.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Viewer } from '#kernel/access.js';
import { ForbiddenError, NotFoundError } from '#kernel/errors.js';
import { type HttpResult, header, problemKind, toProblem } from '#platform/http.js';
import { httpLambda, type LambdaHandler } from '#platform/lambda.js';
import { newNonce, redirect, safeNext } from '#platform/pages/http.js';
import { errorResult } from '#platform/respond.js';
import { webPath, webRouteEntries } from '#schemas/web.js';
import { page, type Request, type WebDeps } from './page.js';
import { PAGES } from './pages.js';
import { CSRF_COOKIE, readCookies, SESSION_COOKIE } from './session.js';
import { viewerFor } from './viewer.js';

export type { WebDeps };
export type WebHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

const BY_ROUTE_KEY = new Map(
  webRouteEntries().map(([name, route]) => [`${route.method} ${route.path}`, { name, route }]),
);

export function makeWebHandler(deps: WebDeps): WebHandler {
  return httpLambda(
    async (event) => {
      const found = BY_ROUTE_KEY.get(event.routeKey);
      const nonce = newNonce();
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
    },
    (error, event) => errorPage(error, event, newNonce(), deps),
  );
}

/** The viewer, or the answer for a request without one (a redirect to sign in, or a 403 page). */
async function signedInViewer(request: Request, deps: WebDeps): Promise<Viewer | HttpResult> {
  const signedIn = await deps.auth.identify(request.cookies[SESSION_COOKIE], request.now);
  if (signedIn === undefined) {
    if (request.route.method !== 'GET') throw new ForbiddenError('sign in first');
    const next = `${request.event.rawPath}${request.event.rawQueryString ? `?${request.event.rawQueryString}` : ''}`;
    return redirect(webPath('signInPage', { next }));
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

function formOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const raw =
    event.body === undefined
      ? ''
      : event.isBase64Encoded
        ? Buffer.from(event.body, 'base64').toString('utf8')
        : event.body;
  return Object.fromEntries(new URLSearchParams(raw));
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
