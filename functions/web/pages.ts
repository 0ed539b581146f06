/** Each `/app` route's page: its input, its use case, its view. */

import { posix } from 'node:path';

import { pagesFor, reportTeams, type Viewer } from '#kernel/access.js';
import { DAY_MS, parseIsoDate } from '#kernel/calendar/days.js';
import { localToUtc } from '#kernel/calendar/london.js';
import { ForbiddenError, NotFoundError, ValidationError } from '#kernel/errors.js';
import { monthOf } from '#kernel/reports/figures.js';
import { type HttpResult, header } from '#platform/http.js';
import { redirect, safeNext, withBody } from '#platform/pages/http.js';
import {
  CasePageParams,
  ComplianceQuery,
  DeadlinesCsvQuery,
  SignInForm,
  SignOutForm,
  type WebRouteName,
  webPath,
} from '#schemas/web.js';
import { casePage } from './case-view.js';
import { BREACHED_DAYS, dashboard, SECTION_ROWS } from './dashboard-view.js';
import { titleOf } from './manager-views.js';
import { onCallPage } from './on-call-view.js';
import { page, parseWith, type Request, type WebDeps } from './page.js';
import { peoplePage } from './people-view.js';
import { type FilterError, filterErrors, ORDER_ERROR, TOO_MANY_ROWS } from './report-filters.js';
import {
  complianceCsv,
  complianceReport,
  deadlineRows,
  deadlinesCsv,
  decimal,
  percent,
} from './reports.js';
import {
  CSRF_COOKIE,
  csrfFor,
  csrfMatches,
  OAUTH_COOKIE,
  randomToken,
  SESSION_COOKIE,
  setCookie,
} from './session.js';

type Page = (request: Request, viewer: Viewer | undefined, deps: WebDeps) => Promise<HttpResult>;

/** Who the page is for: every route but the public ones has a viewer. */
const signedIn = (viewer: Viewer | undefined): Viewer => {
  if (viewer === undefined) throw new ForbiddenError('sign in first');
  return viewer;
};

/** The sign-in's state cookie goes only to the callback's folder (`/app/auth`). */
const OAUTH_COOKIE_PATH = posix.dirname(webPath('authCallback'));

/** The largest answer a Lambda behind API Gateway may give, with room for headers. */
const MAX_ANSWER_BYTES = 5_500_000;

export const PAGES: Record<WebRouteName, Page> = {
  home: async (request, viewer, deps) => {
    const view = await dashboard(signedIn(viewer), deps.views);
    return page(request, viewer, deps, 'home.njk', {
      ...view,
      sectionRows: SECTION_ROWS,
      breachedDays: BREACHED_DAYS,
      nav: 'home',
    });
  },

  case: async (request, viewer, deps) => {
    const { caseId } = parseWith(
      CasePageParams,
      request.event.pathParameters ?? {},
      'case reference',
    );
    const view = await casePage(signedIn(viewer), caseId, deps.views);
    return page(request, viewer, deps, 'case.njk', { ...view, nav: 'home' });
  },

  onCall: async (request, viewer, deps) => {
    if (!pagesFor(viewer).includes('onCall'))
      throw new ForbiddenError('the on-call page is for managers and the EDT');
    const view = await onCallPage(signedIn(viewer), deps.views);
    return page(request, viewer, deps, 'on-call.njk', { ...view, nav: 'onCall' });
  },

  people: async (request, viewer, deps) => {
    // Everyone's contact details: for those who manage, not for everyone named on a case.
    if (!pagesFor(signedIn(viewer)).includes('people'))
      throw new ForbiddenError('the people page is for managers and the EDT');
    const view = await peoplePage(deps.views);
    return page(request, viewer, deps, 'people.njk', { ...view, nav: 'people' });
  },

  compliance: async (request, viewer, deps) => {
    const raw = request.event.queryStringParameters ?? {};
    const parsed = ComplianceQuery.safeParse(raw);
    const query = parsed.success ? parsed.data : {};
    const now = request.now;
    const to = query.to ? query.to.slice(0, 7) : monthOf(now);
    const from = query.from ? query.from.slice(0, 7) : monthsBefore(to, 11);
    const errors = filterErrors(parsed);
    if (errors.length === 0 && from > to) errors.push(ORDER_ERROR);
    const who = signedIn(viewer);
    const teams = teamsFor(who, query.team);
    const form = {
      nav: 'compliance',
      teamOptions: who.roles.includes('head-of-service') ? undefined : who.teams,
      rules: ruleOptions(deps),
    };
    if (errors.length > 0) {
      if (raw.format === 'csv') throw filterError(errors);
      // The form again, as it was filled in, with each problem beside its field.
      return page(
        request,
        viewer,
        deps,
        'compliance.njk',
        {
          ...form,
          from: raw.from ?? '',
          to: raw.to ?? '',
          team: raw.team ?? '',
          rule: raw.rule ?? '',
          errors,
          errorFor: Object.fromEntries(errors.map((e) => [e.field, e.message])),
          pageError: true,
        },
        { status: 400 },
      );
    }
    const rows = await complianceReport(
      { from, to, teams, rule: query.rule || undefined },
      deps.reports,
    );
    if (query.format === 'csv')
      return csvAnswer(request, complianceCsv(rows), `compliance-${from}-to-${to}.csv`);
    return page(request, viewer, deps, 'compliance.njk', {
      ...form,
      from,
      to,
      team: query.team ?? '',
      rule: query.rule ?? '',
      errors: [],
      errorFor: {},
      rows: rows.map((r) => ({
        ...r,
        title: titleOf(r.rule, deps.views),
        onTime: percent(r.onTimePct),
        median: decimal(r.medianLateness),
        p75: decimal(r.p75Lateness),
      })),
      csvLink: webPath('compliance', {
        from,
        to,
        team: query.team,
        rule: query.rule,
        format: 'csv',
      }),
      deadlinesLink: webPath('deadlinesCsv', { from, to, team: query.team }),
    });
  },

  deadlinesCsv: async (request, viewer, deps) => {
    const parsed = DeadlinesCsvQuery.safeParse(request.event.queryStringParameters ?? {});
    const errors = filterErrors(parsed);
    if (!parsed.success) throw filterError(errors);
    const query = parsed.data;
    const month = monthOf(request.now);
    const fromDate = query.from === undefined ? `${month}-01` : firstDay(query.from);
    const toDate = query.to === undefined ? lastDay(month) : lastDay(query.to);
    if (fromDate > toDate) throw filterError([ORDER_ERROR]);
    const teams = teamsFor(signedIn(viewer), query.team);
    const rows = await deadlineRows(
      { from: startOfDay(fromDate), before: startOfDay(nextDay(toDate)), teams },
      { store: deps.views.store },
    );
    return csvAnswer(request, deadlinesCsv(rows), `deadlines-${fromDate}-to-${toDate}.csv`);
  },

  asset: async (request, _viewer, deps) => {
    const file = request.event.pathParameters?.file ?? '';
    const asset = deps.assets.get(file);
    if (asset === undefined) throw new NotFoundError(`no asset ${file}`);
    const gzip = /\bgzip\b/.test(header(request.event.headers, 'accept-encoding') ?? '');
    return {
      statusCode: 200,
      headers: {
        'content-type': asset.contentType,
        // The name carries the content's hash: a new stylesheet is a new name.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        vary: 'accept-encoding',
        ...(gzip ? { 'content-encoding': 'gzip' } : {}),
      },
      body: (gzip ? asset.gzipped : asset.body).toString('base64'),
      isBase64Encoded: true,
    };
  },

  signInPage: async (request, _viewer, deps) => {
    const next = safeNext(request.event.queryStringParameters?.next);
    if (deps.auth.mode === 'cognito') {
      const { url, state, verifier } = deps.auth.startSignIn(callbackUri(request));
      const value = [state, verifier, Buffer.from(next).toString('base64url')].join('.');
      return redirect(url, [
        setCookie(OAUTH_COOKIE, value, {
          maxAge: 600,
          secure: deps.secureCookies,
          path: OAUTH_COOKIE_PATH,
        }),
      ]);
    }
    const people = (await deps.views.people())
      .slice()
      .sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId));
    const csrfCookie = request.cookies[CSRF_COOKIE] || randomToken();
    return page(
      request,
      undefined,
      deps,
      'sign-in.njk',
      {
        people: people.map((p) => ({ personId: p.personId, name: p.name, team: p.team })),
        signInCsrf: csrfFor(csrfCookie),
        next,
      },
      {
        cookies: [setCookie(CSRF_COOKIE, csrfCookie, { maxAge: 3600, secure: deps.secureCookies })],
      },
    );
  },

  signIn: async (request, _viewer, deps) => {
    // Local mode only: in AWS this route does not exist, and the handler refuses it too.
    if (deps.auth.mode !== 'local') throw new NotFoundError(`no page ${webPath('signIn')} (POST)`);
    const form = parseWith(SignInForm, request.form, 'sign-in form');
    if (!csrfMatches(request.cookies[CSRF_COOKIE], form.csrf))
      throw new ForbiddenError('the form has expired: go back, reload the page and try again');
    const people = await deps.views.people();
    if (!people.some((p) => p.personId === form.personId))
      throw fieldError('personId', 'nobody in the directory has this id');
    const session = deps.auth.sessions.issue(form.personId, request.now);
    return redirect(safeNext(form.next), [
      setCookie(SESSION_COOKIE, session, {
        maxAge: deps.auth.sessions.lifetimeSeconds,
        secure: deps.secureCookies,
      }),
      setCookie(CSRF_COOKIE, '', { maxAge: 0, secure: deps.secureCookies }),
    ]);
  },

  authCallback: async (request, _viewer, deps) => {
    if (deps.auth.mode !== 'cognito') throw new NotFoundError(`no page ${webPath('authCallback')}`);
    const params = request.event.queryStringParameters ?? {};
    const [state, verifier, next] = (request.cookies[OAUTH_COOKIE] ?? '').split('.');
    if (
      params.code === undefined ||
      state === undefined ||
      params.state !== state ||
      verifier === undefined
    )
      throw new ForbiddenError('the sign-in did not come back as it left: sign in again');
    const idToken = await deps.auth.finishSignIn(params.code, verifier, callbackUri(request));
    if (idToken === undefined) throw new ForbiddenError('the sign-in was refused: sign in again');
    const secure = deps.secureCookies;
    return redirect(safeNext(Buffer.from(next ?? '', 'base64url').toString('utf8')), [
      setCookie(SESSION_COOKIE, idToken, { maxAge: 8 * 3600, secure }),
      setCookie(OAUTH_COOKIE, '', { maxAge: 0, secure, path: OAUTH_COOKIE_PATH }),
    ]);
  },

  signOut: async (request, _viewer, deps) => {
    const form = parseWith(SignOutForm, request.form, 'sign-out form');
    if (!csrfMatches(request.cookies[SESSION_COOKIE], form.csrf))
      throw new ForbiddenError('the form has expired: go back, reload the page and try again');
    const cleared = setCookie(SESSION_COOKIE, '', { maxAge: 0, secure: deps.secureCookies });
    if (deps.auth.mode === 'cognito')
      return redirect(deps.auth.signOutUrl(absolute(request, webPath('signInPage'))), [cleared]);
    return redirect(webPath('signInPage'), [cleared]);
  },
};

function callbackUri(request: Request): string {
  return absolute(request, webPath('authCallback'));
}

/** A page's full URL on the host the request came to. */
function absolute(request: Request, path: string): string {
  return `https://${request.event.requestContext.domainName}${path}`;
}

/** The teams a report may cover: the one asked for, if the viewer's roles cover it. */
function teamsFor(viewer: Viewer, team: string | undefined): string[] | undefined {
  const allowed = reportTeams(viewer);
  if (allowed !== undefined && allowed.length === 0)
    throw new ForbiddenError('the compliance report is for team managers and heads of service');
  if (team === undefined || team === '') return allowed;
  if (allowed !== undefined && !allowed.includes(team))
    throw new ForbiddenError(
      `team ${team} is not one of your teams, so its report is not yours to see`,
    );
  return [team];
}

/** The report's clocks to choose from, by the names their messages give them. */
function ruleOptions(deps: WebDeps): { id: string; title: string }[] {
  return (
    (deps.reports.rules as { rules?: readonly { id: string }[] }).rules?.map((r) => ({
      id: r.id,
      title: titleOf(r.id, deps.views),
    })) ?? []
  );
}

function fieldError(field: string, message: string): ValidationError {
  return new ValidationError(`invalid ${field}`, { errors: [{ field, message }] });
}

/** The report's filter problems as the error a CSV's page or problem carries. */
function filterError(errors: readonly FilterError[]): ValidationError {
  return new ValidationError('the report’s filters have a problem', { errors: [...errors] });
}

function monthsBefore(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

const firstDay = (text: string) => (text.length === 7 ? `${text}-01` : text);

function lastDay(text: string): string {
  if (text.length === 10) return text;
  const [y, m] = text.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const nextDay = (date: string) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);

/** 00:00 Europe/London on a date. */
const startOfDay = (date: string) => new Date(localToUtc(parseIsoDate(date) * DAY_MS));

function csvAnswer(request: Request, csv: string, filename: string): HttpResult {
  const answer = withBody(
    200,
    {
      'content-type': 'text/csv; charset=utf-8; header=present',
      'content-disposition': `attachment; filename="${filename}"`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    csv,
    header(request.event.headers, 'accept-encoding'),
  );
  if (answer.body.length > MAX_ANSWER_BYTES) throw filterError([TOO_MANY_ROWS]);
  return answer;
}
