/**
 * The API's routes, declared once. The read handler dispatches on them, the CDK construct
 * adds them to the HTTP API, the local server matches requests against them and the OpenAPI
 * document is built from them: a new route is one entry here plus its handler function
 * (`functions/read/handler.ts`), keyed by the same name, which is also its `operationId`.
 */
import { EventEnvelope } from './events.js';
import { NotifyDeliveryReceipt, NotifyReceivedText } from './notify.js';
import {
  AckResult,
  AckTokenParams,
  AlertList,
  AlertParams,
  AlertQuery,
  AuditList,
  CalendarFile,
  CaseParams,
  CaseView,
  DeadlineList,
  DeadlineQuery,
  EventAccepted,
  HtmlPage,
  InvitationParams,
  NotifyCallbackResult,
  PeopleQuery,
  PersonDetail,
  PersonList,
  PersonParams,
  ReceivedTextResult,
  ReminderList,
  RotaList,
  RotaQuery,
  UnroutedList,
  UnroutedQuery,
} from './responses.js';
import * as z from './zod.js';

export interface Route {
  readonly method: 'GET' | 'POST';
  /** API Gateway's path template: each `{name}` is one non-empty path segment. */
  readonly path: `/${string}`;
  /** The Lambda that serves it. */
  readonly lambda: 'events' | 'read' | 'alerts' | 'delivery';
  /**
   * Who may call it: `webhook`, a Standard Webhooks signature the events handler checks (no
   * API Gateway authoriser); `iam`, SigV4 from an allowed IAM principal, checked by API
   * Gateway; `token`, the signed token in the path the alerts handler checks (no authoriser:
   * the link in an SMS or email is the capability); `bearer`, GOV.UK Notify's callbacks, with
   * the bearer token set in Notify, checked by the delivery handler (no authoriser).
   */
  readonly auth: 'webhook' | 'iam' | 'token' | 'bearer';
  readonly summary?: string;
  /** Path parameters, validated by the handler. */
  readonly params?: z.ZodMiniObject;
  /** Query parameters, validated by the handler. */
  readonly query?: z.ZodMiniObject;
  /** Headers, documented only (the events handler checks the webhook headers itself). */
  readonly headers?: z.ZodMiniObject;
  /** The JSON request body. */
  readonly body?: z.ZodMiniType;
  readonly response: {
    readonly status: 200 | 202;
    readonly description: string;
    readonly schema: z.ZodMiniType;
    /**
     * `text/html` for the pages a person opens from a link (problems are pages too);
     * `text/calendar` for an invitation. @default JSON
     */
    readonly contentType?: 'text/html' | 'text/calendar';
  };
  /** Problem answers (RFC 9457): status → what causes it. */
  readonly problems: Readonly<Record<string, string>>;
}

const webhookHeaders = z.object({
  'webhook-id': z.string().check(z.describe('Standard Webhooks message id')),
  'webhook-timestamp': z
    .string()
    .check(z.describe('Unix seconds; refused when more than 5 minutes off')),
  'webhook-signature': z
    .string()
    .check(
      z.describe(
        'v1,<base64 HMAC-SHA256 of "id.timestamp." followed by the body\'s bytes exactly as sent>; several, space-separated, while a secret is rotated',
      ),
    ),
});

const caseProblems = {
  '400': 'invalid path or query parameters',
  '403': 'not authorised (IAM, in AWS)',
  '404': 'unknown case',
} as const;

/** Every route, in the order the API documents them. */
export const ROUTES = {
  postEvent: {
    method: 'POST',
    path: '/v1/events',
    lambda: 'events',
    auth: 'webhook',
    summary: 'Deliver an event; redeliveries with the same id get the same answer',
    headers: webhookHeaders,
    body: EventEnvelope.check(z.meta({ id: 'EventEnvelope' })),
    response: { status: 202, description: 'applied (or already applied)', schema: EventAccepted },
    problems: {
      '400':
        'a body that is not UTF-8 (the problem names the first bad byte), malformed JSON, nesting too deep, or the event does not match its schema',
      '401': 'signature missing, wrong or stale',
      '409': 'the event id was already used with a different body',
      '413': 'body larger than 64 KB',
      '415': 'content type is not application/json',
      '422':
        'an instant outside the years the calendar covers (the problem names the field and the range), or the rule engine cannot apply the event to the case',
      '503': 'the case is contended or timers could not be set; deliver again',
    },
  },
  getCase: {
    method: 'GET',
    path: '/v1/cases/{caseId}',
    lambda: 'read',
    auth: 'iam',
    params: CaseParams,
    response: { status: 200, description: 'the case facts', schema: CaseView },
    problems: caseProblems,
  },
  getCaseDeadlines: {
    method: 'GET',
    path: '/v1/cases/{caseId}/deadlines',
    lambda: 'read',
    auth: 'iam',
    params: CaseParams,
    response: { status: 200, description: 'every deadline on the case', schema: DeadlineList },
    problems: caseProblems,
  },
  getCaseAudit: {
    method: 'GET',
    path: '/v1/cases/{caseId}/audit',
    lambda: 'read',
    auth: 'iam',
    params: CaseParams,
    response: { status: 200, description: 'the audit trail, oldest first', schema: AuditList },
    problems: caseProblems,
  },
  getCaseReminders: {
    method: 'GET',
    path: '/v1/cases/{caseId}/reminders',
    lambda: 'read',
    auth: 'iam',
    summary:
      'The reminders planned for the case, with times and recipients (personIds and roles only)',
    params: CaseParams,
    response: {
      status: 200,
      description:
        'the reminders in firing order, each with what happened to it (planned, sent, skipped, deferred, failed, unrouted); none for a closed case',
      schema: ReminderList,
    },
    problems: caseProblems,
  },
  listDeadlines: {
    method: 'GET',
    path: '/v1/deadlines',
    lambda: 'read',
    auth: 'iam',
    summary:
      'A manager’s list: deadlines by status, due before an instant, optionally for one team',
    query: DeadlineQuery,
    response: { status: 200, description: 'deadlines ordered by due time', schema: DeadlineList },
    problems: {
      '400': 'invalid query parameters',
      '403': 'not authorised (IAM, in AWS)',
    },
  },
  listUnroutedReminders: {
    method: 'GET',
    path: '/v1/reminders/unrouted',
    lambda: 'read',
    auth: 'iam',
    summary:
      'Reminders that reached nobody they were meant for (the fallback contact was told), newest first: what was missing and which event would fix it',
    query: UnroutedQuery,
    response: {
      status: 200,
      description: 'unrouted reminders, newest first (by when they were due to fire)',
      schema: UnroutedList,
    },
    problems: {
      '400': 'invalid query parameters, or a cursor this API did not return',
      '403': 'not authorised (IAM, in AWS)',
    },
  },
  listAlerts: {
    method: 'GET',
    path: '/v1/alerts',
    lambda: 'read',
    auth: 'iam',
    summary:
      'Out-of-hours alerts by status (open: awaiting acknowledgement), newest first: who each went to (personIds and tiers only) and who acknowledged',
    query: AlertQuery,
    response: { status: 200, description: 'alerts, newest first', schema: AlertList },
    problems: {
      '400': 'invalid query parameters, or a cursor this API did not return',
      '403': 'not authorised (IAM, in AWS)',
    },
  },
  ackAlert: {
    method: 'POST',
    path: '/v1/alerts/{alertId}/ack',
    lambda: 'alerts',
    auth: 'iam',
    summary:
      'Acknowledge an out-of-hours alert for an integration: stops the escalation of its clock (as its link or an SMS reply would); repeating it changes nothing',
    params: AlertParams,
    response: {
      status: 200,
      description: 'acknowledged (changed: true), or already acknowledged (changed: false)',
      schema: AckResult,
    },
    problems: {
      '400': 'invalid alert id',
      '403': 'not authorised (IAM, in AWS)',
      '404': 'unknown alert',
    },
  },
  ackPage: {
    method: 'GET',
    path: '/a/{token}',
    lambda: 'alerts',
    auth: 'token',
    summary:
      'The ack link of an out-of-hours alert: a page with the case reference, the clock, its due time (UK time), who is on call, and one button; opening it changes nothing',
    params: AckTokenParams,
    response: {
      status: 200,
      description: 'the page, with the button that acknowledges',
      schema: HtmlPage,
      contentType: 'text/html',
    },
    problems: {
      '404': 'not a link we made: a malformed or forged token, or an unknown alert',
      '409': 'already acknowledged: the page says by whom and when',
      '410': 'the link has expired (24 hours after the clock’s due time)',
    },
  },
  ackByLink: {
    method: 'POST',
    path: '/a/{token}',
    lambda: 'alerts',
    auth: 'token',
    summary:
      'The ack link’s button: acknowledges the alert (the token in the path is the capability; no cookie, so no cross-site request can use it)',
    params: AckTokenParams,
    response: {
      status: 200,
      description: 'acknowledged: the page says so',
      schema: HtmlPage,
      contentType: 'text/html',
    },
    problems: {
      '404': 'not a link we made: a malformed or forged token, or an unknown alert',
      '409': 'already acknowledged (by this link or another way): nothing changed',
      '410': 'the link has expired: nothing changed',
    },
  },
  listPeople: {
    method: 'GET',
    path: '/v1/people',
    lambda: 'read',
    auth: 'iam',
    summary: 'The directory, a page at a time (optionally one team): to reconcile against HR',
    query: PeopleQuery,
    response: { status: 200, description: 'people by person id', schema: PersonList },
    problems: { '400': 'invalid query parameters', '403': 'not authorised (IAM, in AWS)' },
  },
  getPerson: {
    method: 'GET',
    path: '/v1/people/{personId}',
    lambda: 'read',
    auth: 'iam',
    summary: 'One person, with their away periods and the delegates those name',
    params: PersonParams,
    response: { status: 200, description: 'the person', schema: PersonDetail },
    problems: {
      '400': 'invalid path parameters',
      '403': 'not authorised (IAM, in AWS)',
      '404': 'unknown person',
    },
  },
  listRota: {
    method: 'GET',
    path: '/v1/rota',
    lambda: 'read',
    auth: 'iam',
    summary: 'The EDT rota: the shifts overlapping a window of at most 92 days',
    query: RotaQuery,
    response: { status: 200, description: 'shifts by start', schema: RotaList },
    problems: { '400': 'invalid query parameters', '403': 'not authorised (IAM, in AWS)' },
  },
  notifyDeliveryReceipt: {
    method: 'POST',
    path: '/v1/notify/delivery-receipts',
    lambda: 'delivery',
    auth: 'bearer',
    summary:
      'GOV.UK Notify’s delivery receipt callback: a send delivered, or why not (its reference is the send id); a failure is followed up at once; redelivery changes nothing',
    body: NotifyDeliveryReceipt.check(z.meta({ id: 'NotifyDeliveryReceipt' })),
    response: {
      status: 202,
      description: 'taken (an unknown reference too: logged and counted)',
      schema: NotifyCallbackResult,
    },
    problems: {
      '400':
        'malformed JSON, a field out of shape, or an unknown status (the problem names the field)',
      '401': 'the bearer token is missing or wrong',
      '404': 'GOV.UK Notify is not this deployment’s provider',
      '413': 'body larger than 64 KB',
      '415': 'content type is not application/json',
    },
  },
  notifyReceivedText: {
    method: 'POST',
    path: '/v1/notify/received-text-messages',
    lambda: 'delivery',
    auth: 'bearer',
    summary:
      'GOV.UK Notify’s received text message callback: a reply to an alert text; YES acknowledges as a two-way SMS reply does',
    body: NotifyReceivedText.check(z.meta({ id: 'NotifyReceivedText' })),
    response: { status: 202, description: 'taken', schema: ReceivedTextResult },
    problems: {
      '400': 'malformed JSON or a field out of shape (the problem names the field)',
      '401': 'the bearer token is missing or wrong',
      '404': 'GOV.UK Notify is not this deployment’s provider',
      '413': 'body larger than 64 KB',
      '415': 'content type is not application/json',
    },
  },
  getInvitation: {
    method: 'GET',
    path: '/v1/invitations/{file}',
    lambda: 'delivery',
    auth: 'token',
    summary:
      'A supervision’s calendar invitation, linked from an email GOV.UK Notify sent (Notify cannot attach it): the token in the path is the capability',
    params: InvitationParams,
    response: {
      status: 200,
      description: 'the invitation (text/calendar)',
      schema: CalendarFile,
      contentType: 'text/calendar',
    },
    problems: { '404': 'no invitation has this token (or it has expired)' },
  },
} as const satisfies Record<string, Route>;

export type Routes = typeof ROUTES;
export type OperationId = keyof Routes;

/** API Gateway's route key: `GET /v1/cases/{caseId}`. */
export function routeKey(route: Pick<Route, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The routes as `[operationId, route]` pairs, in declaration order. */
export function routeEntries(): [OperationId, Route][] {
  return Object.entries(ROUTES) as [OperationId, Route][];
}
