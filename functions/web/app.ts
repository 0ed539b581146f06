/**
 * The managers' pages: one handler for every `/app` route (`schemas/web.ts`). Thin: find the
 * route, establish who is signed in, validate the query or form with its zod schema, call the
 * use case, render its view. Whatever goes wrong is a page in the layout (`error-page.ts`) with
 * the navigation the person may use — a script asking for a CSV gets an RFC 9457 problem
 * instead; nothing a caller sends becomes a 5xx.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { Viewer } from '#kernel/access.js';
import { ForbiddenError, NotFoundError } from '#kernel/errors.js';
import { type HttpResult, header } from '#platform/http.js';
import { httpLambda, type LambdaHandler } from '#platform/lambda.js';
import { newNonce, redirect, safeNext } from '#platform/pages/http.js';
import { webPath, webRouteEntries } from '#schemas/web.js';
import { errorPage, type SignedState } from './error-page.js';
import type { Request, WebDeps } from './page.js';
import { PAGES } from './pages.js';
import { CSRF_COOKIE, readCookies, SESSION_COOKIE } from './session.js';
import { viewerFor } from './viewer.js';

export type { WebDeps };
export type WebHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

const BY_ROUTE_KEY = new Map(
  webRouteEntries().map(([name, route]) => [`${route.method} ${route.path}`, { name, route }]),
);

export function makeWebHandler(deps: WebDeps): WebHandler {
  return httpLambda(async (event) => {
    const nonce = newNonce();
    const cookies = readCookies(event.cookies, header(event.headers, 'cookie'));
    const state: SignedState = {};
    try {
      const found = BY_ROUTE_KEY.get(event.routeKey);
      if (found === undefined) throw new NotFoundError(`no page ${event.rawPath}`);
      const request: Request = {
        event,
        ...found,
        cookies,
        form: found.route.method === 'POST' ? formOf(event) : {},
        nonce,
        now: deps.clock.now(),
      };
      if (found.route.auth === 'public') return await PAGES[found.name](request, undefined, deps);
      const viewer = await signedInViewer(request, deps, state);
      if (!('personId' in viewer)) return viewer;
      return await PAGES[found.name](request, viewer, deps);
    } catch (error) {
      return errorPage(error, event, { nonce, cookies }, state, deps);
    }
  });
}

/** The viewer, or the answer for a request without one (a redirect to sign in, or a 403 page). */
async function signedInViewer(
  request: Request,
  deps: WebDeps,
  state: SignedState,
): Promise<Viewer | HttpResult> {
  const signedIn = await deps.auth.identify(request.cookies[SESSION_COOKIE], request.now);
  if (signedIn === undefined) {
    if (request.route.method !== 'GET') throw new ForbiddenError('sign in first');
    const next = `${request.event.rawPath}${request.event.rawQueryString ? `?${request.event.rawQueryString}` : ''}`;
    return redirect(webPath('signInPage', { next }));
  }
  state.signedIn = true;
  const identified = await viewerFor(signedIn, request.now, deps.viewer);
  if ('unknown' in identified)
    throw new ForbiddenError(
      `you are signed in, but the directory has nobody with your ${signedIn.personId === undefined ? 'email address' : 'id'}`,
    );
  const viewer = identified.viewer;
  // Signing out is always open to someone signed in; every other page needs a role or a case.
  if (viewer.roles.length > 0 || viewer.cases.length > 0) state.viewer = viewer;
  else if (request.name !== 'signOut')
    throw new ForbiddenError('you have no Timescales role and are not named on any open case');
  return viewer;
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

export { CSRF_COOKIE, redirect, safeNext };
