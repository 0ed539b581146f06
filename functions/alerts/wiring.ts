/**
 * Out-of-hours alerts' dependencies: the alert store, the ack-link tokens (the alert-token key
 * and the authority's `links.ackBaseUrl`), the escalation period, and for acknowledging, the
 * scheduler (cancelling escalation timers), the audit, the directory and the clock. Shared by
 * the reminders Lambda (which raises and escalates alerts), the alerts Lambda (the ack link
 * and `POST /v1/alerts/{alertId}/ack`), the inbound-SMS Lambda and local mode.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Clock, type Scheduler, systemClock } from '#kernel/ports.js';
import { fallbackPerson, type ReminderPlans, reminderPlans } from '#kernel/reminders/index.js';
import { loadRulesAndPlans } from '#kernel/reminders/overrides.js';
import type { AlertTokens } from '#platform/alert-token.js';
import { alertTokenKey, alertTokens } from '#platform/alerts.js';
import { documentClient } from '#platform/aws.js';
import {
  alertTokenVars,
  authorityVars,
  config,
  scheduleGroupVars,
  tableVars,
} from '#platform/config.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { powertoolsLog } from '#platform/logger.js';
import { makeEventBridgeCanceller } from '#platform/scheduler/index.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import type { AckDeps } from './acknowledge-alert.js';
import type { AckPages } from './page.js';

/** The alerts Lambda's dependencies: the ack link's tokens and pages, and acknowledging. */
export interface AlertsHandlerDeps {
  /** None when the authority has no `links.ackBaseUrl`: no link was ever made, none is valid. */
  tokens: AlertTokens | undefined;
  ack: AckDeps;
  /** The link's pages. @default the pages headed "Timescales" */
  pages?: AckPages;
}

export interface AckWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Its fallback contact (acknowledges by its phone too) and ack base URL. */
  authority: Pick<AuthorityConfig, 'fallbackContact'> & Partial<Pick<AuthorityConfig, 'links'>>;
  /** Cancels escalation timers: EventBridge Scheduler, or local mode's driver. */
  scheduler: Pick<Scheduler, 'cancel'>;
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
    caseUrlTemplate: authority.links?.caseUrlTemplate,
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
  const cfg = config(tableVars, authorityVars, scheduleGroupVars, alertTokenVars);
  return alertsHandlerDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeCanceller(cfg),
    tokenKey: await alertTokenKey(cfg),
    // The page names the clock as the authority's plans do (its overrides included).
    plans: loadRulesAndPlans(cfg.authority).plans,
  });
}

/** The inbound-SMS Lambda in AWS, from the environment. */
export function awsSmsInboundDeps(): AckDeps {
  const cfg = config(tableVars, authorityVars, scheduleGroupVars);
  return ackDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeCanceller(cfg),
  });
}
