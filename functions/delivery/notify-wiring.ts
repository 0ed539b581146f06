/**
 * GOV.UK Notify's callbacks' dependencies: the receipts (`wiring.ts`), the callbacks' bearer
 * token, acknowledging an alert by a received text, and the invitations the API serves.
 */
import type { AckDeps } from '#functions/alerts/acknowledge-alert.js';
import { ackDeps } from '#functions/alerts/wiring.js';
import type { Metrics } from '#kernel/ports.js';
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
import { makeEventBridgeCanceller } from '#platform/scheduler/index.js';
import type { ReceiptDeps } from './ports.js';
import { type DeliveryWiring, LambdaFollowUps, receiptDeps } from './wiring.js';

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
