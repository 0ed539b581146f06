/**
 * The delivery feature's dependencies: the receipt store, the follow-ups (the fire path,
 * asked to follow up a person not told), and for GOV.UK Notify's callbacks their bearer
 * token, acknowledging by a received text, and the invitations the API serves. AWS and local
 * mode build through the same functions; local mode passes its own follow-ups (the fire
 * handler in its process) and clock.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AckDeps } from '#functions/alerts/acknowledge-alert.js';
import { ackDeps } from '#functions/alerts/wiring.js';
import { type Clock, type Log, type Metrics, systemClock } from '#kernel/ports.js';
import { documentClient, secretString } from '#platform/aws.js';
import {
  authorityVars,
  config,
  followUpVars,
  notifyCallbackVars,
  scheduleGroupVars,
  tableVars,
} from '#platform/config.js';
import { DynamoInvitations } from '#platform/dynamodb/invitations.js';
import { lazy } from '#platform/lazy.js';
import { powertoolsLog } from '#platform/logger.js';
import { makeEventBridgeCanceller } from '#platform/scheduler/index.js';
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

/** GOV.UK Notify's callbacks and the invitations the API serves. */
export interface NotifyHandlerDeps {
  receipts: ReceiptDeps;
  /** The callbacks' bearer token; none: Notify is not this deployment's provider (404). */
  callbackToken: string | undefined;
  /** Acknowledging an alert by a received text message. */
  acks: AckDeps;
  invitations: { get(token: string): Promise<string | undefined> };
}

export function notifyHandlerDeps(
  wiring: DeliveryWiring & {
    callbackToken: string | undefined;
    acks: AckDeps;
  },
): NotifyHandlerDeps {
  return {
    receipts: receiptDeps(wiring),
    callbackToken: wiring.callbackToken,
    acks: wiring.acks,
    invitations: new DynamoInvitations(wiring.client, wiring.tableName),
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

/** Notify's callbacks' function in AWS, from the environment (the token from Secrets Manager). */
export async function awsNotifyDeps(metrics: Metrics): Promise<NotifyHandlerDeps> {
  const cfg = config(tableVars, authorityVars, scheduleGroupVars, notifyCallbackVars, followUpVars);
  const client = documentClient();
  const token =
    cfg.notifyCallback.token ??
    (cfg.notifyCallback.tokenArn === undefined
      ? undefined
      : await secretString(cfg.notifyCallback.tokenArn));
  return notifyHandlerDeps({
    client,
    tableName: cfg.tableName,
    followUps: new LambdaFollowUps(cfg.followUpFunctionArn),
    metrics,
    callbackToken: token,
    acks: ackDeps({
      client,
      tableName: cfg.tableName,
      authority: cfg.authority,
      scheduler: makeEventBridgeCanceller(cfg),
    }),
  });
}
