/**
 * The delivery-events Lambda, with the `aws` provider: the SES configuration set's events and
 * End User Messaging SMS events arrive on one SNS topic; each becomes a receipt in our terms
 * (`readDeliveryEvent`) and goes through the same use case as GOV.UK Notify's callback
 * (`recordReceipt`). An event that is not final, not ours or not understood is logged (its kind
 * only) and skipped; a store failure throws, so SNS delivers the event again (a redelivered
 * receipt changes nothing).
 */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import type { SNSEvent } from 'aws-lambda';
import { entry, type LambdaHandler, lambda } from '#platform/lambda.js';
import { makeMetrics, powertoolsMetrics } from '#platform/metrics.js';
import { readDeliveryEvent } from './aws-events.js';
import type { ReceiptDeps } from './ports.js';
import { recordReceipt } from './record-receipt.js';
import { awsReceiptDeps } from './wiring.js';

export type DeliveryEventsHandler = LambdaHandler<SNSEvent, { outcomes: string[] }>;

export function makeHandler(deps: ReceiptDeps, metrics?: Metrics): DeliveryEventsHandler {
  return lambda(
    async (event: SNSEvent) => {
      const outcomes: string[] = [];
      for (const record of event.Records ?? []) {
        const reading = readDeliveryEvent(record.Sns?.Message ?? '', deps.clock.now());
        if ('skipped' in reading) {
          deps.log?.info('delivery event skipped', {
            messageId: record.Sns?.MessageId,
            reason: reading.skipped,
            kind: reading.kind,
          });
          outcomes.push(reading.skipped);
          continue;
        }
        outcomes.push(await recordReceipt(reading.receipt, deps));
      }
      return { outcomes };
    },
    { metrics },
  );
}

const metrics = makeMetrics();

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(() =>
  makeHandler(awsReceiptDeps(powertoolsMetrics(metrics)), metrics),
);
