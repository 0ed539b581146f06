/**
 * A page for what went wrong, in the layout, with the navigation the person may use: 400 with
 * each problem in words, 403 saying what they can do instead (and offering sign-out), 404,
 * and 500 (logged, no detail). A CSV's error is a page too when a browser asked for it (its
 * Accept names HTML); a script gets the RFC 9457 problem.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { pagesFor, type Viewer } from '#kernel/access.js';
import { capitalised } from '#kernel/glossary.js';
import { type HttpResult, header, problemKind, toProblem } from '#platform/http.js';
import { errorResult } from '#platform/respond.js';
import { webPath } from '#schemas/web.js';
import { NAV_TEXT, page, type WebDeps } from './page.js';
import { SESSION_COOKIE } from './session.js';

/** Who was signed in when it went wrong, as far as the request got. */
export interface SignedState {
  /** The session checked out (even if the directory does not know the person). */
  signedIn?: boolean;
  viewer?: Viewer;
}

const TITLES: Record<number, string> = {
  400: 'There is a problem',
  403: 'You do not have access to this page',
  404: 'Page not found',
  500: 'Sorry, there is a problem with the service',
};

/** A problem's field as its form labels it (the report's filters, the sign-in form). */
const FIELD_LABELS: Record<string, string> = {
  from: 'From month',
  to: 'To month',
  team: 'Team',
  rule: 'Clock',
  format: 'Format',
  caseId: 'Case reference',
  personId: 'Person',
};

/** The words of one problem with a request's field: the field's label, then what is wrong. */
export function fieldProblem(field: string, message: string): string {
  const label = FIELD_LABELS[field];
  return label === undefined || message.startsWith(label)
    ? capitalised(message)
    : `${label}: ${message}`;
}

/** The links a person can follow from an error page: only pages they may open. */
function whatTheyCanDo(viewer: Viewer | undefined): { href: string; text: string }[] {
  const pages = pagesFor(viewer).map((name) => ({ href: webPath(name), text: NAV_TEXT[name] }));
  const cases = (viewer?.cases ?? []).slice(0, 10).map((c) => ({
    href: webPath('case', { caseId: c.caseId }),
    text: `Case ${c.caseId}`,
  }));
  return [...pages, ...cases];
}

export function errorPage(
  error: unknown,
  event: APIGatewayProxyEventV2,
  request: { nonce: string; cookies: Record<string, string> },
  state: SignedState,
  deps: WebDeps,
): HttpResult {
  const wantsCsv =
    event.rawPath.endsWith('.csv') || /(^|&)format=csv(&|$)/.test(event.rawQueryString ?? '');
  const browser = /\btext\/html\b/.test(header(event.headers, 'accept') ?? '');
  if (wantsCsv && !browser) return errorResult(error, event.rawPath);
  const kind = problemKind(error);
  const problem = toProblem(error, event.rawPath);
  if (kind === undefined)
    deps.log.error('page failed', { error: error instanceof Error ? error.name : 'unknown' });
  const status = problem.status;
  const links = status === 403 || status === 404 ? whatTheyCanDo(state.viewer) : [];
  const paragraphs =
    kind === undefined
      ? ['Try again later. The problem has been logged.']
      : status === 404
        ? [
            `${capitalised(problem.detail ?? 'there is no such page')}.`,
            'If you typed the web address, check it is correct. If you pasted it, check you copied the whole address.',
          ]
        : (problem.errors ?? []).length > 0
          ? []
          : [`${capitalised(problem.detail ?? problem.title)}.`];
  const signedIn = state.signedIn === true && request.cookies[SESSION_COOKIE] !== undefined;
  return page(
    { nonce: request.nonce, cookies: signedIn ? request.cookies : {}, event },
    state.viewer,
    deps,
    'error.njk',
    {
      status,
      title: TITLES[status] ?? problem.title,
      paragraphs,
      problems: (problem.errors ?? []).map((e) => fieldProblem(e.field, e.message)),
      links,
      signedIn,
      // Somebody signed in with nowhere to go still has a way out.
      offerSignOut: signedIn && status === 403,
      nothingToOpen: status === 403 && links.length === 0,
    },
    { status },
  );
}
