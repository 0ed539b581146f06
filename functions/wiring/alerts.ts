/**
 * Out-of-hours alerts' dependencies: the alert store, the ack-link tokens (the alert-token key
 * and the authority's `links.ackBaseUrl`), the escalation period, and for acknowledging, the
 * scheduler (cancelling escalation timers), the audit, the directory and the clock. Shared by
 * the reminders Lambda (which raises and escalates alerts), the alerts Lambda (the ack link
 * and `POST /v1/alerts/{alertId}/ack`), the inbound-SMS Lambda and local mode.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoAlertStore } from '#adapters/dynamodb/alerts.js';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { DynamoReminderAudit } from '#adapters/dynamodb/send-claims.js';
import { makeEventBridgeScheduler } from '#adapters/scheduler/index.js';
import { type AlertTokens, makeAlertTokens } from '#commons/alert-token.js';
import { type Config, config } from '#commons/config.js';
import { powertoolsLog } from '#commons/logger.js';
import { type Clock, type Scheduler, systemClock } from '#domain/ports.js';
import { fallbackPerson, type ReminderPlans, reminderPlans } from '#domain/reminders/index.js';
import { loadRulesAndPlans } from '#domain/reminders/overrides.js';
import type { AlertsHandlerDeps } from '#functions/alerts/handler.js';
import { type AuthorityConfig, DEFAULT_ACK_WITHIN_MINUTES } from '#schemas/authority.js';
import type { AckDeps } from '#use-cases/acknowledge-alert.js';
import type { AlertDeps } from '#use-cases/fire-deps.js';
import { documentClient, secretString } from './aws.js';

/** The alert-token key: from the environment (local mode), else from Secrets Manager. */
export async function alertTokenKey(cfg: Config): Promise<string | undefined> {
  if (cfg.alertTokenKey !== undefined) return cfg.alertTokenKey;
  return cfg.alertTokenKeyArn === undefined ? undefined : secretString(cfg.alertTokenKeyArn);
}

/** The ack-link tokens, when the authority has an ack base URL and there is a key. */
export function alertTokens(
  authority: { links?: { ackBaseUrl?: string | undefined } | undefined },
  key: string | undefined,
): AlertTokens | undefined {
  const baseUrl = authority.links?.ackBaseUrl;
  return baseUrl === undefined || key === undefined ? undefined : makeAlertTokens({ key, baseUrl });
}

/** What the fire path needs to raise and escalate alerts. */
export function alertTracking(wiring: {
  client: DynamoDBDocumentClient;
  tableName: string;
  authority: AuthorityConfig;
  tokenKey: string | undefined;
  /** Two-way SMS configured: alert SMS say "Reply YES to acknowledge". */
  replyYes: boolean;
}): AlertDeps {
  const minutes = wiring.authority.ackWithinMinutes ?? DEFAULT_ACK_WITHIN_MINUTES;
  return {
    store: new DynamoAlertStore(wiring.client, wiring.tableName),
    links: alertTokens(wiring.authority, wiring.tokenKey),
    ackWithinMs: minutes * 60_000,
    replyYes: wiring.replyYes,
  };
}

export interface AckWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Its fallback contact (acknowledges by its phone too) and ack base URL. */
  authority: Pick<AuthorityConfig, 'fallbackContact'> & Partial<Pick<AuthorityConfig, 'links'>>;
  /** Cancels escalation timers: EventBridge Scheduler, or local mode's driver. */
  scheduler: Scheduler;
  clock?: Clock;
  plans?: ReminderPlans;
}

/** Acknowledging (link, SMS reply, API) and the link's page. */
export function ackDeps(wiring: AckWiring): AckDeps {
  const { client, tableName, authority } = wiring;
  return {
    alerts: { store: new DynamoAlertStore(client, tableName) },
    scheduler: wiring.scheduler,
    audit: new DynamoReminderAudit(client, tableName),
    cases: new DynamoCaseStore(client, tableName),
    directory: new DynamoDirectory(client, tableName, { consistentReads: true }),
    fallback:
      authority.fallbackContact === undefined
        ? undefined
        : fallbackPerson(authority.fallbackContact),
    plans: wiring.plans ?? reminderPlans(),
    clock: wiring.clock ?? systemClock,
    log: powertoolsLog,
  };
}

/** The alerts Lambda's dependencies (local mode passes its own scheduler, clock and key). */
export function alertsHandlerDeps(
  wiring: AckWiring & { tokenKey: string | undefined },
): AlertsHandlerDeps {
  return { tokens: alertTokens(wiring.authority, wiring.tokenKey), ack: ackDeps(wiring) };
}

/** The alerts Lambda in AWS, from the environment. */
export async function awsAlertsDeps(): Promise<AlertsHandlerDeps> {
  const cfg = config();
  return alertsHandlerDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeScheduler(cfg),
    tokenKey: await alertTokenKey(cfg),
    // The page names the clock as the authority's plans do (its overrides included).
    plans: loadRulesAndPlans(cfg.authority).plans,
  });
}

/** The inbound-SMS Lambda in AWS, from the environment. */
export function awsSmsInboundDeps(): AckDeps {
  const cfg = config();
  return ackDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeScheduler(cfg),
  });
}
