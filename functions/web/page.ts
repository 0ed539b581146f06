/**
 * What every page is made with: the web function's dependencies, the request as a page sees
 * it, its input parsed with a zod schema, and the full page rendered in the layout.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { pagesFor, ROLE_NAMES, type Role, type Viewer } from '#kernel/access.js';
import { fieldErrors, ValidationError } from '#kernel/errors.js';
import type { Clock, Log } from '#kernel/ports.js';
import { type HttpResult, header } from '#platform/http.js';
import type { Assets } from '#platform/pages/assets.js';
import { pageHeaders, withBody } from '#platform/pages/http.js';
import type { Render } from '#platform/pages/render.js';
import type { WebRoute, WebRouteName } from '#schemas/web.js';
import type * as z from '#schemas/zod.js';
import type { WebAuth } from './auth.js';
import type { ManagerDeps } from './manager-views.js';
import type { ReportDeps } from './reports.js';
import { csrfFor, SESSION_COOKIE } from './session.js';
import type { ViewerDeps } from './viewer.js';

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

/** The navigation's pages, in order, with their words (the error page links them alike). */
export const NAV_TEXT: Record<ReturnType<typeof pagesFor>[number], string> = {
  home: 'Deadlines',
  onCall: 'On call',
  people: 'People and rota',
  compliance: 'Compliance report',
};

function layoutContext(
  request: Pick<Request, 'nonce' | 'event'>,
  viewer: Viewer | undefined,
  deps: WebDeps,
): Record<string, unknown> {
  // Only the pages the viewer may open: no link on any page leads to a 403.
  const pages = pagesFor(viewer);
  return {
    authority: deps.authority,
    stylesheet: deps.assets.stylesheet,
    cspNonce: request.nonce,
    viewer,
    navPages: pages.map((name) => ({ name, text: NAV_TEXT[name] })),
    homeAllowed: pages.includes('home'),
    mayReport: pages.includes('compliance'),
    roleNames: viewer === undefined ? [] : viewerRoles(viewer),
    // A manager's teams; anyone else's directory team is not theirs to manage.
    viewerTeams: viewer?.roles.includes('team-manager') === true ? viewer.teams : [],
  };
}

/** "Team manager", "EDT manager", or for someone named on cases only, "named on 2 cases". */
function viewerRoles(viewer: Viewer): string[] {
  if (viewer.roles.length > 0) return viewer.roles.map((r: Role) => ROLE_NAMES[r]);
  const n = viewer.cases.length;
  return n === 0 ? [] : [`named on ${n} open case${n === 1 ? '' : 's'}`];
}
