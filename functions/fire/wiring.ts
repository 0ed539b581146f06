/**
 * The timer Lambda's dependencies. `buildFireDeps` binds the fire use case to the table, the
 * engine, the calendar and the channels; AWS and local mode both build through it, local mode
 * overriding the endpoint, the scheduler (its driver), the channels (aws-ses-v2-local and the
 * outbox) and the clock (the simulated one).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { type Metrics, systemClock } from '#kernel/ports.js';
import { fallbackPerson, type ReminderPlans } from '#kernel/reminders/index.js';
import { alertTokenKey, alertTracking } from '#platform/alerts.js';
import { documentClient } from '#platform/aws.js';
import {
  alertTokenVars,
  authorityVars,
  type Config,
  config,
  emailVars,
  schedulerVars,
  smsVars,
  tableVars,
} from '#platform/config.js';
import { calendarFeedSource, type FeedSource } from '#platform/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { DynamoDigestStore } from '#platform/dynamodb/timer-store.js';
import { powertoolsLog } from '#platform/logger.js';
import { makeEventBridgeScheduler } from '#platform/scheduler/index.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { SesEmailChannel } from './channels/ses.js';
import { EndUserMessagingSmsChannel } from './channels/sms.js';
import { CachedDirectory } from './directory-cache.js';
import type { FireTimerDeps } from './fire-timer.js';
import type { Channel } from './ports.js';
import { DynamoSendClaims } from './send-claims-store.js';

/** The parts that differ between AWS and local mode. */
export interface FireWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  authority: AuthorityConfig;
  scheduler: FireTimerDeps['scheduler'];
  channels: Partial<Record<'email' | 'sms', Channel>>;
  emailFrom: string;
  clock?: FireTimerDeps['clock'];
  plans?: ReminderPlans;
  log?: FireTimerDeps['log'];
  metrics?: Metrics;
  /** The operator's bank-holiday feed. @default the one stored in the table */
  feed?: FeedSource & { ready(): Promise<unknown> };
  /**
   * Out-of-hours alerts: the alert-token key (ack links, with the authority's
   * `links.ackBaseUrl`) and whether SMS replies reach us. @default alerts not tracked
   */
  alerts?: { tokenKey: string | undefined; replyYes: boolean };
}

/** Binds the use case to the table, the engine, the calendar and the channels. */
export function buildFireDeps(wiring: FireWiring): FireTimerDeps {
  const feed = wiring.feed ?? calendarFeedSource(wiring.client, wiring.tableName);
  // The authority's reminder-plan overrides, validated at cold start, unless the wiring gives plans.
  const engine = makeCaseEngine(wiring.authority, wiring.plans, { feed });
  const plans = engine.plans;
  const clock = wiring.clock ?? systemClock;
  // One directory cache per process, exact: the fire path reads the directory stamp with every
  // case (same BatchGetItem) and the cache is emptied when the stamp has moved (directory-cache.ts).
  const directory = new CachedDirectory(
    new DynamoDirectory(wiring.client, wiring.tableName, { consistentReads: true }),
  );
  return {
    cases: new DynamoCaseStore(wiring.client, wiring.tableName),
    // The feed is re-checked at most every 5 minutes; `advance` recomputes a case computed
    // with another calendar or rule version first.
    refreshCalendar: async () => {
      await feed.ready();
    },
    advance: (aggregate, now) => engine.advance(aggregate, now),
    // The engine's plan holds the due timers and the reminders (`reminderTimerPlanner`).
    planTimers: (aggregate) => engine.planTimers(aggregate, clock.now()),
    scheduler: wiring.scheduler,
    directory,
    channels: wiring.channels,
    claims: new DynamoSendClaims(wiring.client, wiring.tableName),
    digests: new DynamoDigestStore(wiring.client, wiring.tableName),
    audit: new DynamoReminderAudit(wiring.client, wiring.tableName),
    clock,
    get calendar() {
      return engine.calendar;
    },
    // A case's reminders are planned and routed on its own division's bank holidays.
    calendarFor: (division) => engine.calendarFor(division),
    plans,
    caseUrlTemplate: wiring.authority.links.caseUrlTemplate,
    emailFrom: wiring.emailFrom,
    authorityName: wiring.authority.authority,
    fallback:
      wiring.authority.fallbackContact === undefined
        ? undefined
        : fallbackPerson(wiring.authority.fallbackContact),
    digestsScheduled: new Set(),
    log: wiring.log ?? powertoolsLog,
    ...(wiring.metrics === undefined ? {} : { metrics: wiring.metrics }),
    alerts:
      wiring.alerts === undefined
        ? undefined
        : alertTracking({
            client: wiring.client,
            tableName: wiring.tableName,
            authority: wiring.authority,
            tokenKey: wiring.alerts.tokenKey,
            replyYes: wiring.alerts.replyYes,
          }),
  };
}

/** SES and End User Messaging SMS; each SDK package is imported on the channel's first send. */
export function awsChannels(
  cfg: Pick<Config, 'ses' | 'sms'> & { ses: { from: string } },
): FireWiring['channels'] {
  return {
    email: new SesEmailChannel(
      async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({}),
      { from: cfg.ses.from, configurationSet: cfg.ses.configurationSet },
    ),
    sms: new EndUserMessagingSmsChannel(
      async () =>
        new (await import('@aws-sdk/client-pinpoint-sms-voice-v2')).PinpointSMSVoiceV2Client({}),
      cfg.sms,
    ),
  };
}

/**
 * The timer Lambda in AWS, from the environment (the alert-token key from Secrets Manager);
 * `metrics` are the invocation's counters.
 */
export async function awsFireDeps(metrics: Metrics): Promise<FireTimerDeps> {
  const cfg = config(tableVars, authorityVars, schedulerVars, emailVars, smsVars, alertTokenVars);
  const from = cfg.ses.from;
  if (from === undefined) throw new Error('Invalid configuration: SES_FROM is required');
  return buildFireDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeScheduler(cfg),
    channels: awsChannels({ ...cfg, ses: { ...cfg.ses, from } }),
    emailFrom: from,
    metrics,
    alerts: { tokenKey: await alertTokenKey(cfg), replyYes: cfg.sms.twoWay },
  });
}
