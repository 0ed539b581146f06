/**
 * The delivery feature's dependencies: the receipt store and the follow-ups (the fire path,
 * asked to follow up a person not told); GOV.UK Notify's callbacks add theirs in
 * `notify-wiring.ts` (a bundle names only the settings its function is given). AWS and local
 * mode build through the same functions; local mode passes its own follow-ups (the fire
 * handler in its process) and clock.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, type Log, type Metrics, systemClock } from '#kernel/ports.js';
import { documentClient } from '#platform/aws.js';
import { config, followUpVars, tableVars } from '#platform/config.js';
import { lazy } from '#platform/lazy.js';
import { powertoolsLog } from '#platform/logger.js';
import type { FollowUp, FollowUps, ReceiptDeps } from './ports.js';
import { DynamoReceiptStore } from './receipt-store.js';

export interface DeliveryWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  followUps: FollowUps;
  clock?: Clock;
  log?: Log;
  metrics?: Metrics | undefined;
  settled?: ReceiptDeps['settled'];
}

export function receiptDeps(wiring: DeliveryWiring): ReceiptDeps {
  return {
    store: new DynamoReceiptStore(wiring.client, wiring.tableName),
    followUps: wiring.followUps,
    clock: wiring.clock ?? systemClock,
    log: wiring.log ?? powertoolsLog,
    metrics: wiring.metrics,
    settled: wiring.settled,
  };
}

/** The reminders function, invoked asynchronously with the follow-up (it retries on error). */
export class LambdaFollowUps implements FollowUps {
  constructor(private readonly functionArn: string) {}

  async undelivered(followUp: FollowUp): Promise<void> {
    const [client, { InvokeCommand }] = await Promise.all([
      lambdaClient(),
      import('@aws-sdk/client-lambda'),
    ]);
    await client.send(
      new InvokeCommand({
        FunctionName: this.functionArn,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(followUp)),
      }),
    );
  }
}

/** The Lambda client, its package loaded on the first follow-up. */
const lambdaClient = lazy(
  async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({}),
);

/** The delivery-events function in AWS (SES and SMS events), from the environment. */
export function awsReceiptDeps(metrics: Metrics): ReceiptDeps {
  const cfg = config(tableVars, followUpVars);
  return receiptDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    followUps: new LambdaFollowUps(cfg.followUpFunctionArn),
    metrics,
  });
}
