/**
 * The alerts Lambda: the ack link (`GET /a/{token}`: a page, never a change; `POST
 * /a/{token}`: its button, which acknowledges) and `POST /v1/alerts/{alertId}/ack` for
 * integrations (IAM in AWS). Thin: check the token (MAC in constant time, then expiry), call
 * the use case, render the page or the JSON.
 *
 * The POST needs no CSRF token: there is no cookie or session to ride on — the token in the
 * path is the whole capability, so a cross-site form could only post a link its author
 * already holds (and could post themselves).
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { toAckView, toAlertView } from '#kernel/alert-state.js';
import { fieldErrors, NotFoundError, ValidationError } from '#kernel/errors.js';
import { ackRole } from '#kernel/reminders/alerts.js';
import { authorityVars, config } from '#platform/config.js';
import { type HttpResult, json } from '#platform/http.js';
import { entry, httpLambda, type LambdaHandler } from '#platform/lambda.js';
import { AlertParams } from '#schemas/responses.js';
import { ROUTES, routeKey } from '#schemas/routes.js';
import { acknowledgeAlert, describeAlert } from './acknowledge-alert.js';
import { type AckPages, makeAckPages } from './page.js';
import { type AlertsHandlerDeps, awsAlertsDeps } from './wiring.js';

export type AlertsHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

const PAGE = routeKey(ROUTES.ackPage);
const BUTTON = routeKey(ROUTES.ackByLink);
const API = routeKey(ROUTES.ackAlert);

export function makeHandler(deps: AlertsHandlerDeps): AlertsHandler {
  const pages = deps.pages ?? makeAckPages();
  return httpLambda(async (event) => {
    const key = event.routeKey;
    if (key === PAGE || key === BUTTON) return await byLink(event, key === BUTTON, deps, pages);
    if (key === API) return await byApi(event, deps);
    throw new NotFoundError(`no route ${event.routeKey}`);
  });
}

/** The link: its token checked first; a page whatever happens (a person is reading it). */
async function byLink(
  event: APIGatewayProxyEventV2,
  acknowledge: boolean,
  deps: AlertsHandlerDeps,
  pages: AckPages,
): Promise<HttpResult> {
  const token = event.pathParameters?.token ?? '';
  const check = deps.tokens?.verify(token, deps.ack.clock.now()) ?? {
    ok: false as const,
    reason: 'malformed' as const,
  };
  if (!check.ok) {
    deps.ack.log?.info('ack link refused', { reason: check.reason });
    return check.reason === 'expired' ? pages.expired() : pages.invalidLink();
  }
  try {
    if (!acknowledge) {
      const view = await describeAlert(check.alertId, deps.ack);
      return view.ack === undefined ? pages.alert(view) : pages.already(view, view.ack);
    }
    const outcome = await acknowledgeAlert(check.alertId, 'link', deps.ack);
    const view = await describeAlert(check.alertId, deps.ack);
    if (outcome.status === 'already')
      return pages.already(view, { role: ackRole(outcome.ack.by), at: outcome.ack.at });
    return pages.acknowledged(view, outcome);
  } catch (error) {
    // A token we signed for an alert since deleted (its TTL): not a link that works.
    if (error instanceof NotFoundError) return pages.invalidLink();
    throw error;
  }
}

/** The API: JSON, 200 whether or not this call was the one that acknowledged. */
async function byApi(event: APIGatewayProxyEventV2, deps: AlertsHandlerDeps): Promise<HttpResult> {
  const params = AlertParams.safeParse(event.pathParameters ?? {});
  if (!params.success)
    throw new ValidationError('invalid path parameters', { errors: fieldErrors(params.error) });
  const outcome = await acknowledgeAlert(params.data.alertId, 'api', deps.ack);
  const alert = outcome.status === 'acknowledged' ? outcome.alert : await reread(outcome, deps);
  return json(200, {
    changed: outcome.status === 'acknowledged',
    alert: toAlertView(alert),
    ack: toAckView(outcome.ack),
  });
}

async function reread(
  outcome: Awaited<ReturnType<typeof acknowledgeAlert>>,
  deps: AlertsHandlerDeps,
) {
  return (await deps.ack.alerts.store.getAlert(outcome.alert.alertId)) ?? outcome.alert;
}

/** The Lambda: built on the first invocation (reads the alert-token key from Secrets Manager). */
export const handler = entry(async () =>
  makeHandler({
    ...(await awsAlertsDeps()),
    pages: makeAckPages(config(authorityVars).authority.authority),
  }),
);
