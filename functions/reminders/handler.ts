/**
 * The timer Lambda: EventBridge Scheduler (or the local driver) invokes it with a timer
 * payload. Thin: parse the payload, run `fireTimer`, map "retry later" to a thrown error so
 * the scheduler's retry policy runs it again (then its dead-letter queue). Outcome counters
 * (`Sent`, `SendFailed`, `Unroutable`, `TimerDead`) go out as CloudWatch EMF metrics in the
 * `Timescales` namespace, flushed at the end of every invocation.
 */
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { SesEmailChannel } from '#adapters/channels/ses.js';
import { EndUserMessagingSmsChannel } from '#adapters/channels/sms.js';
import { calendarFeedSource, type FeedSource } from '#adapters/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { CachedDirectory } from '#adapters/dynamodb/directory-cache.js';
import { DynamoReminderAudit, DynamoSendClaims } from '#adapters/dynamodb/send-claims.js';
import { DynamoDigestStore } from '#adapters/dynamodb/timer-store.js';
import { makeEventBridgeScheduler } from '#adapters/scheduler/index.js';
import { dynamo } from '#commons/clients.js';
import { config } from '#commons/config.js';
import { logger } from '#commons/logger.js';
import type { Channel, Metrics as DomainMetrics } from '#domain/ports.js';
import { systemClock } from '#domain/ports.js';
import type { ReminderPlans } from '#domain/reminders/index.js';
import type { TimerPayload } from '#domain/timers.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import * as z from '#schemas/zod.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';
import {
  type FireOutcome,
  type FireTimerDeps,
  fireTimer,
  RetryLaterError,
} from '#use-cases/fire-timer.js';

/** What the schedule's input holds: ids and a version only. */
export const TimerPayloadSchema = z.object({
  caseId: z.string().check(z.minLength(1), z.maxLength(200)),
  deadlineId: z.string().check(z.minLength(1), z.maxLength(200)),
  kind: z.string().check(z.minLength(1), z.maxLength(20)),
  version: z.number().check(z.int(), z.nonnegative()),
  step: z.optional(z.string().check(z.minLength(1), z.maxLength(200))),
});

export type TimerHandler = (event: unknown) => Promise<FireOutcome>;

/** A timer payload no retry can make valid (its issues name fields and codes, never values). */
export class InvalidTimerPayloadError extends Error {
  override readonly name = 'InvalidTimerPayloadError';
  constructor(readonly issues: string[]) {
    super(`invalid timer payload: ${issues.join('; ')}`);
  }
}

export function makeHandler(deps: FireTimerDeps): TimerHandler {
  return async (event) => {
    const parsed = TimerPayloadSchema.safeParse(event);
    if (!parsed.success) {
      // No retry can make this timer valid: count it dead, and throw so the payload is kept
      // in the async-failure queue for an operator.
      deps.metrics?.count('TimerDead');
      const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
      deps.log?.error('timer payload invalid', { metric: 'TimerDead', issues });
      throw new InvalidTimerPayloadError(issues);
    }
    const payload = parsed.data;
    // An unknown kind is accepted here and ignored by the use case (logged as `unknown-kind`).
    const outcome = await fireTimer(payload as TimerPayload, deps);
    if ('retryLater' in outcome && outcome.retryLater) {
      throw new RetryLaterError(`a send of ${payload.caseId}/${payload.deadlineId} is in flight`);
    }
    return outcome;
  };
}

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
  metrics?: DomainMetrics;
  /** The operator's bank-holiday feed. @default the one stored in the table */
  feed?: FeedSource & { ready(): Promise<unknown> };
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
    calendarFor: (division) => engine.calendarFor(division),
    plans,
    caseUrlTemplate: wiring.authority.links.caseUrlTemplate,
    emailFrom: wiring.emailFrom,
    digestsScheduled: new Set(),
    log: wiring.log ?? powertoolsLog,
    ...(wiring.metrics === undefined ? {} : { metrics: wiring.metrics }),
  };
}

/** The Powertools logger as the use case's log: structured fields, ids only. */
const powertoolsLog: FireTimerDeps['log'] = {
  info: (message, fields) => logger.info({ message, ...fields }),
  warn: (message, fields) => logger.warn({ message, ...fields }),
  error: (message, fields) => logger.error({ message, ...fields }),
};

/** Powertools Metrics as the use case's counters (namespace from `POWERTOOLS_METRICS_NAMESPACE`). */
export function powertoolsMetrics(metrics: Metrics): DomainMetrics {
  return { count: (name, value = 1) => metrics.addMetric(name, MetricUnit.Count, value) };
}

/** Flushes the invocation's metrics as one EMF line when it ends, returned or thrown. */
export function withMetrics(metrics: Metrics, handler: TimerHandler): TimerHandler {
  return async (event) => {
    try {
      return await handler(event);
    } finally {
      // Nothing counted (an ignored timer): write nothing rather than Powertools' warning.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}

const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Timescales',
});

let production: TimerHandler | undefined;

/** Production wiring, built once at cold start. */
function productionHandler(): TimerHandler {
  const cfg = config();
  if (cfg.ses.from === undefined) throw new Error('Invalid configuration: SES_FROM is required');
  return makeHandler(
    buildFireDeps({
      client: dynamo(cfg.dynamoEndpoint),
      tableName: cfg.tableName,
      authority: cfg.authority,
      scheduler: makeEventBridgeScheduler(cfg),
      channels: {
        // Each SDK package is imported on the channel's first send, not at cold start.
        email: new SesEmailChannel(
          async () => new (await import('@aws-sdk/client-sesv2')).SESv2Client({}),
          { from: cfg.ses.from, configurationSet: cfg.ses.configurationSet },
        ),
        sms: new EndUserMessagingSmsChannel(
          async () =>
            new (await import('@aws-sdk/client-pinpoint-sms-voice-v2')).PinpointSMSVoiceV2Client(
              {},
            ),
          cfg.sms,
        ),
      },
      emailFrom: cfg.ses.from,
      metrics: powertoolsMetrics(metrics),
    }),
  );
}

export const handler: TimerHandler = withMetrics(metrics, async (event) => {
  production ??= productionHandler();
  return production(event);
});
