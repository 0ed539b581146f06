/**
 * The timer Lambda: EventBridge Scheduler (or the local driver) invokes it with a timer
 * payload. Thin: parse the payload, run `fireTimer`, map "retry later" to a thrown error so
 * the scheduler's retry policy runs it again (then its dead-letter queue).
 */
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import * as z from 'zod';
import { SesEmailChannel } from '../adapters/channels/ses.js';
import { EndUserMessagingSmsChannel } from '../adapters/channels/sms.js';
import { DynamoCaseStore } from '../adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '../adapters/dynamodb/directory.js';
import { DynamoReminderAudit, DynamoSendClaims } from '../adapters/dynamodb/send-claims.js';
import { DynamoDigestStore } from '../adapters/dynamodb/timer-store.js';
import { makeEventBridgeScheduler } from '../adapters/scheduler/index.js';
import { dynamo } from '../commons/clients.js';
import { type AuthorityConfig, config } from '../commons/config.js';
import { logger } from '../commons/logger.js';
import { advance } from '../domain/engine/index.js';
import type { CaseAggregate } from '../domain/model.js';
import { type ReminderPlans, reminderPlans } from '../domain/reminders/index.js';
import type { Channel } from '../domain/reminders/ports.js';
import { makeCaseEngine } from '../use-cases/bind-engine.js';
import {
  type FireOutcome,
  type FireTimerDeps,
  fireTimer,
  RetryLaterError,
} from '../use-cases/fire-timer.js';
import { systemClock } from '../use-cases/ports.js';

/** What the schedule's input holds: ids and a version only. */
export const TimerPayloadSchema = z.object({
  caseId: z.string().min(1).max(200),
  deadlineId: z.string().min(1).max(200),
  kind: z.string().min(1).max(20),
  version: z.number().int().nonnegative(),
  reminderId: z.string().min(1).max(200).optional(),
});

export type TimerHandler = (event: unknown) => Promise<FireOutcome>;

export function makeHandler(deps: FireTimerDeps<CaseAggregate>): TimerHandler {
  return async (event) => {
    const payload = TimerPayloadSchema.parse(event);
    const outcome = await fireTimer(payload, deps);
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
  scheduler: FireTimerDeps<CaseAggregate>['scheduler'];
  channels: Partial<Record<'email' | 'sms', Channel>>;
  emailFrom: string;
  clock?: FireTimerDeps<CaseAggregate>['clock'];
  plans?: ReminderPlans;
  log?: FireTimerDeps<CaseAggregate>['log'];
}

/** Binds the use case to the table, the engine, the calendar and the channels. */
export function buildFireDeps(wiring: FireWiring): FireTimerDeps<CaseAggregate> {
  const plans = wiring.plans ?? reminderPlans();
  const engine = makeCaseEngine(wiring.authority, plans);
  const clock = wiring.clock ?? systemClock;
  return {
    cases: new DynamoCaseStore(wiring.client, wiring.tableName),
    advance: (aggregate, now) =>
      advance(aggregate, { calendar: engine.calendar, rules: engine.rules, now }),
    // The engine's plan holds the due timers and the reminders (`reminderTimerPlanner`).
    planTimers: (aggregate) => engine.planTimers(aggregate, clock.now()),
    scheduler: wiring.scheduler,
    directory: new DynamoDirectory(wiring.client, wiring.tableName),
    channels: wiring.channels,
    claims: new DynamoSendClaims(wiring.client, wiring.tableName),
    digests: new DynamoDigestStore(wiring.client, wiring.tableName),
    audit: new DynamoReminderAudit(wiring.client, wiring.tableName),
    clock,
    calendar: engine.calendar,
    plans,
    caseUrlTemplate: wiring.authority.links.caseUrlTemplate,
    emailFrom: wiring.emailFrom,
    log: wiring.log ?? powertoolsLog,
  };
}

/** The Powertools logger as the use case's log: structured fields, ids only. */
const powertoolsLog: FireTimerDeps<CaseAggregate>['log'] = {
  info: (message, fields) => logger.info({ message, ...fields }),
  warn: (message, fields) => logger.warn({ message, ...fields }),
  error: (message, fields) => logger.error({ message, ...fields }),
};

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
        email: new SesEmailChannel(new SESv2Client({}), {
          from: cfg.ses.from,
          configurationSet: cfg.ses.configurationSet,
        }),
        sms: new EndUserMessagingSmsChannel(new PinpointSMSVoiceV2Client({}), cfg.sms),
      },
      emailFrom: cfg.ses.from,
    }),
  );
}

export const handler = async (event: unknown): Promise<FireOutcome> => {
  production ??= productionHandler();
  return production(event);
};
