/**
 * GOV.UK Notify's callbacks, and the invitations its emails link to. Thin: check the bearer
 * token (constant time), read the body defensively (413 over 64 KB, 415, 400 naming the
 * field), call the use case, answer.
 *
 * - `POST /v1/notify/delivery-receipts`: a send's receipt (`recordReceipt`); 202 whatever it
 *   came to — an unknown reference too (logged and counted), so Notify does not send it again.
 * - `POST /v1/notify/received-text-messages`: a text to the service's inbound number; a YES
 *   acknowledges as a two-way SMS reply does (`acknowledgeBySms`).
 * - `GET /v1/invitations/{file}`: a supervision's `.ics`, by the token in its name.
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { acknowledgeBySms } from '#functions/alerts/acknowledge-alert.js';
import { NotFoundError } from '#kernel/errors.js';
import { rawBody, requireJsonContentType, utf8Text } from '#platform/body.js';
import { INVITATION_TOKEN } from '#platform/dynamodb/invitations.js';
import { type HttpResult, json } from '#platform/http.js';
import { entry, type LambdaHandler, lambda } from '#platform/lambda.js';
import { makeMetrics, powertoolsMetrics } from '#platform/metrics.js';
import { errorResult } from '#platform/respond.js';
import { NotifyDeliveryReceipt, NotifyReceivedText } from '#schemas/notify.js';
import { ROUTES, routeKey } from '#schemas/routes.js';
import { checkBearer, e164, notifyReceipt, parseCallback } from './notify-callbacks.js';
import { awsNotifyDeps, type NotifyHandlerDeps } from './notify-wiring.js';
import { recordReceipt } from './record-receipt.js';

export type NotifyHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

const RECEIPT = routeKey(ROUTES.notifyDeliveryReceipt);
const TEXT = routeKey(ROUTES.notifyReceivedText);
const INVITATION = routeKey(ROUTES.getInvitation);

export function makeHandler(deps: NotifyHandlerDeps, metrics?: Metrics): NotifyHandler {
  return lambda<APIGatewayProxyEventV2, HttpResult>(
    async (event) => {
      if (event.routeKey === INVITATION) return invitation(event, deps);
      if (event.routeKey !== RECEIPT && event.routeKey !== TEXT)
        throw new NotFoundError(`no route ${event.routeKey}`);
      const token = deps.callbackToken;
      if (token === undefined)
        throw new NotFoundError('GOV.UK Notify is not this deployment’s provider');
      checkBearer(event.headers, token);
      const text = utf8Text(rawBody(event));
      requireJsonContentType(event.headers);
      if (event.routeKey === RECEIPT) {
        const receipt = notifyReceipt(
          parseCallback(text, NotifyDeliveryReceipt),
          deps.receipts.clock.now(),
        );
        const status =
          receipt === undefined ? 'on-its-way' : await recordReceipt(receipt, deps.receipts);
        return json(202, { status });
      }
      const sms = parseCallback(text, NotifyReceivedText);
      const outcome = await acknowledgeBySms(
        { from: e164(sms.source_number), body: sms.message },
        deps.acks,
      );
      deps.receipts.log?.info('received text message', {
        notifyId: sms.id,
        outcome: outcome.status,
        ...('alert' in outcome ? { alertId: outcome.alert.alertId } : {}),
      });
      return json(202, {
        status: outcome.status,
        ...('alert' in outcome ? { alertId: outcome.alert.alertId } : {}),
      });
    },
    { metrics, onError: (error, event) => errorResult(error, event.rawPath) },
  );
}

/** The invitation named by its token: the file a calendar adds; 404 for any other name. */
async function invitation(
  event: APIGatewayProxyEventV2,
  deps: NotifyHandlerDeps,
): Promise<HttpResult> {
  const file = event.pathParameters?.file ?? '';
  const token = file.endsWith('.ics') ? file.slice(0, -4) : '';
  const ics = INVITATION_TOKEN.test(token) ? await deps.invitations.get(token) : undefined;
  if (ics === undefined) throw new NotFoundError('no such invitation');
  return {
    statusCode: 200,
    headers: {
      'content-type': `text/calendar; charset=utf-8; method=${methodOf(ics)}`,
      'content-disposition': 'attachment; filename="invite.ics"',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
    },
    body: ics,
  };
}

function methodOf(ics: string): string {
  return /^METHOD:([A-Z]+)\r?$/m.exec(ics)?.[1] ?? 'REQUEST';
}

const metrics = makeMetrics();

/** The Lambda: built on the first invocation (reads the callback token from Secrets Manager). */
export const handler = entry(async () =>
  makeHandler(await awsNotifyDeps(powertoolsMetrics(metrics)), metrics),
);
