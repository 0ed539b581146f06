/**
 * The managers' pages (`/app/...`): their routes, declared once (the web handler dispatches
 * on them, the CDK construct adds them to the HTTP API, the local server matches them, and
 * pages and templates link to them through `webPath`), and their query and form fields. HTML
 * pages, not part of the JSON API or its OpenAPI document.
 */
import { CaseId, PersonId } from './events.js';
import * as z from './zod.js';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/** A month `YYYY-MM`, or a date `YYYY-MM-DD` that exists (its month is meant). */
const MonthOrDate = z
  .string()
  .check(
    z.refine(
      (text) =>
        MONTH.test(text) ||
        (DATE.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text)),
      'must be a month YYYY-MM or a date YYYY-MM-DD',
    ),
  );

const Team = z
  .string()
  .check(
    z.maxLength(64),
    z.regex(/^([A-Za-z0-9][A-Za-z0-9._:-]*)?$/, 'letters, digits and . _ : - only'),
  );

/** `/app/reports/compliance?from=&to=&team=&rule=&format=`: empty fields mean "all". */
export const ComplianceQuery = z.strictObject({
  from: z.optional(MonthOrDate),
  to: z.optional(MonthOrDate),
  team: z.optional(Team),
  rule: z.optional(
    z.string().check(z.regex(/^([a-z][a-z0-9-]{1,29})?$/, 'a rule id, e.g. lado-notification')),
  ),
  format: z.optional(z.enum(['html', 'csv'])),
});
export type ComplianceQuery = z.infer<typeof ComplianceQuery>;

/** `/app/reports/deadlines.csv?from=&to=&team=`: deadlines due from `from` to `to`, inclusive. */
export const DeadlinesCsvQuery = z.strictObject({
  from: z.optional(MonthOrDate),
  to: z.optional(MonthOrDate),
  team: z.optional(Team),
});
export type DeadlinesCsvQuery = z.infer<typeof DeadlinesCsvQuery>;

export const CasePageParams = z.strictObject({ caseId: CaseId });

/** `POST /app/sign-in` (local mode). */
export const SignInForm = z.object({
  personId: PersonId,
  csrf: z.string(),
  next: z.optional(z.string()),
});

/** `POST /app/sign-out`. */
export const SignOutForm = z.object({ csrf: z.string() });

/** Where the managers' pages live: every route's path is under it (the session cookie's Path). */
export const WEB_ROOT = '/app';

export interface WebRoute {
  readonly method: 'GET' | 'POST';
  readonly path: `${typeof WEB_ROOT}${string}`;
  /**
   * `session`: for a signed-in person (the web handler checks the session cookie and
   * redirects to sign-in without one); `public`: the sign-in pages and the stylesheet.
   */
  readonly auth: 'session' | 'public';
  /** Served only by `npm start` (never added to API Gateway; refused in AWS anyway). */
  readonly localOnly?: true;
  readonly title: string;
}

export const WEB_ROUTES = {
  home: { method: 'GET', path: '/app', auth: 'session', title: 'Your teams’ deadlines' },
  case: { method: 'GET', path: '/app/cases/{caseId}', auth: 'session', title: 'Case' },
  onCall: { method: 'GET', path: '/app/on-call', auth: 'session', title: 'On call' },
  people: { method: 'GET', path: '/app/people', auth: 'session', title: 'People and rota' },
  compliance: {
    method: 'GET',
    path: '/app/reports/compliance',
    auth: 'session',
    title: 'Compliance report',
  },
  deadlinesCsv: {
    method: 'GET',
    path: '/app/reports/deadlines.csv',
    auth: 'session',
    title: 'Deadlines (CSV)',
  },
  asset: { method: 'GET', path: '/app/assets/{file}', auth: 'public', title: 'Stylesheet' },
  signInPage: { method: 'GET', path: '/app/sign-in', auth: 'public', title: 'Sign in' },
  signIn: {
    method: 'POST',
    path: '/app/sign-in',
    auth: 'public',
    localOnly: true,
    title: 'Sign in',
  },
  authCallback: {
    method: 'GET',
    path: '/app/auth/callback',
    auth: 'public',
    title: 'Signing in',
  },
  signOut: { method: 'POST', path: '/app/sign-out', auth: 'session', title: 'Sign out' },
} as const satisfies Record<string, WebRoute>;

export type WebRouteName = keyof typeof WEB_ROUTES;

export function webRouteEntries(): [WebRouteName, WebRoute][] {
  return Object.entries(WEB_ROUTES) as [WebRouteName, WebRoute][];
}

/** The names a route's path fills in: `{caseId}` in `/app/cases/{caseId}` → `caseId`. */
type PathParams<P extends string> = P extends `${string}{${infer K}}${infer Rest}`
  ? K | PathParams<Rest>
  : never;

/** A query string's fields: an absent or empty one is left out. */
export type QueryFields = Readonly<Record<string, string | undefined>>;

/** `webPath`'s arguments after the name: the path's fields (required when it has some). */
export type WebPathArgs<N extends WebRouteName> = [
  PathParams<(typeof WEB_ROUTES)[N]['path']>,
] extends [never]
  ? [fields?: QueryFields]
  : [fields: Readonly<Record<PathParams<(typeof WEB_ROUTES)[N]['path']>, string>> & QueryFields];

/**
 * The path of a page, for a link, a form or a redirect: the route's path with its `{name}`
 * parts filled in, and every other field given as the query string, in the order given
 * (URL-encoded, like `encodeURIComponent`). `webPath('case', { caseId: 'C-1001' })` is
 * `/app/cases/C-1001`. An unknown route, or a path field missing, is a programming error.
 */
export function webPath<N extends WebRouteName>(name: N, ...[fields]: WebPathArgs<N>): string {
  return webPathFor(name, fields);
}

/** `webPath` for a route named at run time (a template's `path(...)`): checked when called. */
export function webPathFor(name: string, fields: QueryFields = {}): string {
  if (!Object.hasOwn(WEB_ROUTES, name)) throw new Error(`no web route named ${name}`);
  const rest: Record<string, string | undefined> = { ...fields };
  const path = WEB_ROUTES[name as WebRouteName].path.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = rest[key];
    if (value === undefined || value === '')
      throw new Error(`the web route ${name} needs its ${key}`);
    delete rest[key];
    return encodeURIComponent(value);
  });
  const query = Object.entries(rest)
    .filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== '')
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`)
    .join('&');
  return query === '' ? path : `${path}?${query}`;
}
