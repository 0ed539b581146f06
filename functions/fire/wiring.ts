/**
 * The timer Lambda's dependencies, kind by kind. `buildFireDeps` binds each kind of timer to
 * the table, the engine, the calendar and the channels; AWS and local mode both build through
 * it, local mode overriding the endpoint, the scheduler (its driver), the channels
 * (aws-ses-v2-local and the outbox) and the clock (the simulated one).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { type Metrics, systemClock } from '#kernel/ports.js';
import { sendId } from '#kernel/reminders/delivery.js';
import { fallbackPerson, type ReminderPlans } from '#kernel/reminders/index.js';
import { alertTokenKey, alertTracking } from '#platform/alerts.js';
import { documentClient, secretString } from '#platform/aws.js';
import {
  alertTokenVars,
  authorityVars,
  type Config,
  config,
  emailVars,
  messagingVars,
  notifyVars,
  schedulerVars,
  smsVars,
  tableVars,
} from '#platform/config.js';
import { calendarFeedSource, type FeedSource } from '#platform/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoInvitations, invitationToken } from '#platform/dynamodb/invitations.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { DynamoDigestStore } from '#platform/dynamodb/timer-store.js';
import { invocationDeadline } from '#platform/invocation.js';
import type { ClientSource } from '#platform/lazy.js';
import { powertoolsLog } from '#platform/logger.js';
import { makeEventBridgeScheduler } from '#platform/scheduler/index.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { type NotifyApi, notifyChannels, notifyClient } from './channels/notify.js';
import { SlidingWindowLimit } from './channels/rate-limit.js';
import { SesEmailChannel } from './channels/ses.js';
import { EndUserMessagingSmsChannel } from './channels/sms.js';
import { CachedDirectory } from './directory-cache.js';
import { fireEscalation } from './fire-escalation.js';
import { fireUndelivered } from './fire-undelivered.js';
import { DynamoFiringStore } from './firing-store.js';
import type { Channel, EscalationDeps, FireTimerDeps, ReminderDeps, SendDeps } from './ports.js';
import type { UndeliveredDeps } from './undelivered-ports.js';

/** The parts that differ between AWS and local mode. */
export interface FireWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  authority: AuthorityConfig;
  scheduler: ReminderDeps['scheduler'];
  channels: Partial<Record<'email' | 'sms', Channel>>;
  emailFrom: string;
  clock?: ReminderDeps['clock'];
  plans?: ReminderPlans;
  log?: ReminderDeps['log'];
  metrics?: Metrics;
  /** The operator's bank-holiday feed. @default the one stored in the table */
  feed?: FeedSource & { ready(): Promise<unknown> };
  /**
   * Out-of-hours alerts: the alert-token key (ack links, with the authority's
   * `links.ackBaseUrl`) and whether SMS replies reach us. @default alerts not tracked
   */
  alerts?: { tokenKey: string | undefined; replyYes: boolean };
}

/**
 * Binds each kind of timer to what it uses: the table (the firing store, the case store for
 * `due` timers), the engine, the calendar, the directory cache and the channels.
 */
export function buildFireDeps(wiring: FireWiring): FireTimerDeps {
  const feed = wiring.feed ?? calendarFeedSource(wiring.client, wiring.tableName);
  // The authority's reminder-plan overrides, validated at cold start, unless the wiring gives plans.
  const engine = makeCaseEngine(wiring.authority, wiring.plans, { feed });
  const clock = wiring.clock ?? systemClock;
  const log = wiring.log ?? powertoolsLog;
  const alerts =
    wiring.alerts === undefined
      ? undefined
      : alertTracking({
          authority: wiring.authority,
          tokenKey: wiring.alerts.tokenKey,
          replyYes: wiring.alerts.replyYes,
        });
  // One directory cache per process, exact: the fire path reads the directory stamp with every
  // case (same BatchGetItem) and the cache is emptied when the stamp has moved (directory-cache.ts).
  const directory = new CachedDirectory(
    new DynamoDirectory(wiring.client, wiring.tableName, { consistentReads: true }),
  );
  const store = new DynamoFiringStore(wiring.client, wiring.tableName);
  const sending: SendDeps = {
    store,
    channels: wiring.channels,
    scheduler: wiring.scheduler,
    clock,
    log,
    metrics: wiring.metrics,
    // A retry that would wait past the function's timeout is left to the timer's retry.
    deadline: invocationDeadline,
    // A message the provider refused is a person not told: followed up at once (below).
    undelivered: (payload) => fireUndelivered(payload, undelivered),
  };
  const messages = {
    plans: engine.plans,
    caseUrlTemplate: wiring.authority.links.caseUrlTemplate,
    emailFrom: wiring.emailFrom,
    authorityName: wiring.authority.authority,
    authorityShortName: wiring.authority.shortName,
    fallback:
      wiring.authority.fallbackContact === undefined
        ? undefined
        : fallbackPerson(wiring.authority.fallbackContact),
  };
  const escalation: EscalationDeps = { ...sending, ...messages, directory, alerts };
  const undelivered: UndeliveredDeps = {
    ...sending,
    ...messages,
    sends: store,
    directory,
    get calendar() {
      return engine.calendar;
    },
    calendarFor: (division) => engine.calendarFor(division),
    alerts,
    digests: new DynamoDigestStore(wiring.client, wiring.tableName),
    escalate: (payload) => fireEscalation(payload, escalation),
  };
  return {
    // The feed is re-checked at most every 5 minutes; `advance` recomputes a case computed
    // with another calendar or rule version first.
    refreshCalendar: async () => {
      await feed.ready();
    },
    log,
    metrics: wiring.metrics,
    due: {
      cases: new DynamoCaseStore(wiring.client, wiring.tableName),
      advance: (aggregate, now) => engine.advance(aggregate, now),
      // The engine's plan holds the due timers and the reminders (`reminderTimerPlanner`).
      planTimers: (aggregate) => engine.planTimers(aggregate, clock.now()),
      scheduler: wiring.scheduler,
      audit: new DynamoReminderAudit(wiring.client, wiring.tableName),
      clock,
      log,
    },
    reminder: {
      ...sending,
      ...messages,
      directory,
      get calendar() {
        return engine.calendar;
      },
      // A case's reminders are planned and routed on its own division's bank holidays.
      calendarFor: (division) => engine.calendarFor(division),
      alerts,
      digestsScheduled: new Set(),
    },
    escalation,
    undelivered,
    digest: {
      ...sending,
      ...messages,
      digests: new DynamoDigestStore(wiring.client, wiring.tableName),
      directory,
      get calendar() {
        return engine.calendar;
      },
      alertsTracked: alerts !== undefined,
    },
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

/** What GOV.UK Notify's channels are made from. */
export interface NotifyWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** The official client (made on the first send). */
  api: ClientSource<NotifyApi>;
  emailTemplateId: string;
  smsTemplateId: string;
  /** This process's share of Notify's 3,000 requests a minute. */
  ratePerMinute: number;
  /** Where the API serves invitations, and the key their tokens are made with. @default none: dropped */
  invitations?: { baseUrl: string; key: string } | undefined;
  clock?: { now(): Date };
}

/**
 * GOV.UK Notify's email and SMS channels, over one official client and one rate limit: its
 * window counted a second longer than Notify's own, so a request that travels slower than the
 * one before it is not counted into the next minute by Notify.
 */
export function notifyFireChannels(wiring: NotifyWiring): FireWiring['channels'] {
  const invitations = new DynamoInvitations(wiring.client, wiring.tableName);
  const served = wiring.invitations;
  return notifyChannels(wiring.api, {
    emailTemplateId: wiring.emailTemplateId,
    smsTemplateId: wiring.smsTemplateId,
    limit: new SlidingWindowLimit({
      limit: wiring.ratePerMinute,
      windowMs: 61_000,
      deadline: invocationDeadline,
    }),
    invitation:
      served === undefined
        ? undefined
        : async (message, ics) => {
            const token = invitationToken(
              served.key,
              sendId({ ...message.meta, channel: 'email' }),
            );
            await invitations.put(token, ics, wiring.clock?.now() ?? new Date());
            return `${served.baseUrl.replace(/\/+$/, '')}/v1/invitations/${token}.ics`;
          },
  });
}

/**
 * The timer Lambda in AWS, from the environment (the alert-token key, and with GOV.UK Notify
 * its API key, from Secrets Manager); `metrics` are the invocation's counters.
 */
export async function awsFireDeps(metrics: Metrics): Promise<FireTimerDeps> {
  const cfg = config(
    tableVars,
    authorityVars,
    schedulerVars,
    emailVars,
    smsVars,
    alertTokenVars,
    messagingVars,
    notifyVars,
  );
  const client = documentClient();
  const tokenKey = await alertTokenKey(cfg);
  const notify = cfg.messaging.provider === 'notify';
  // Read at the cold start, as the alert-token key is: a send never waits on Secrets Manager.
  const apiKey = notify ? await notifyApiKey(cfg.notify) : undefined;
  // With Notify the From address only organises invitations and names Message-IDs.
  const from = cfg.ses.from ?? (notify ? cfg.authority.fallbackContact?.email : undefined);
  if (from === undefined) throw new Error('Invalid configuration: SES_FROM is required');
  return buildFireDeps({
    client,
    tableName: cfg.tableName,
    authority: cfg.authority,
    scheduler: makeEventBridgeScheduler(cfg),
    channels: notify
      ? notifyFireChannels({
          client,
          tableName: cfg.tableName,
          api: () => notifyClient(apiKey as string),
          emailTemplateId: required(cfg.notify.emailTemplateId, 'NOTIFY_EMAIL_TEMPLATE_ID'),
          smsTemplateId: required(cfg.notify.smsTemplateId, 'NOTIFY_SMS_TEMPLATE_ID'),
          ratePerMinute: cfg.notify.ratePerMinute,
          invitations:
            cfg.notify.invitationBaseUrl === undefined || tokenKey === undefined
              ? undefined
              : { baseUrl: cfg.notify.invitationBaseUrl, key: tokenKey },
        })
      : awsChannels({ ...cfg, ses: { ...cfg.ses, from } }),
    emailFrom: from,
    metrics,
    // Replies reach us (two-way SMS, or Notify's inbound number): alert SMS say "Reply YES".
    alerts: { tokenKey, replyYes: cfg.sms.twoWay },
  });
}

async function notifyApiKey(cfg: { apiKey?: string | undefined; apiKeyArn?: string | undefined }) {
  if (cfg.apiKey !== undefined) return cfg.apiKey;
  return secretString(required(cfg.apiKeyArn, 'NOTIFY_API_KEY_ARN'));
}

function required(value: string | undefined, name: string): string {
  if (value === undefined) throw new Error(`Invalid configuration: ${name} is required`);
  return value;
}
