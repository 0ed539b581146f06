/**
 * The events Lambda's dependencies: the case store, the directory, the engine, the scheduler,
 * the reminder audit and the clock. `ingestDeps` is shared by AWS and local mode, which
 * override the endpoint, the scheduler (the local driver) and the clock (the simulated one).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BoundEngine } from '#kernel/engine/bound.js';
import { type Clock, type Scheduler, systemClock } from '#kernel/ports.js';
import { awsEngine, documentClient, secretString } from '#platform/aws.js';
import {
  authorityVars,
  type Config,
  config,
  schedulerVars,
  tableVars,
  webhookVars,
} from '#platform/config.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReminderAudit } from '#platform/dynamodb/reminder-audit.js';
import { makeEventBridgeScheduler } from '#platform/scheduler/index.js';
import { DecodedCases } from './decoded-cases.js';
import type { IngestDeps } from './ingest-event.js';

/** The webhook's dependencies: the use case's, and the secret its signatures are checked with. */
export interface EventsHandlerDeps extends IngestDeps {
  webhookSecret: string;
}

export interface IngestWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  engine: BoundEngine;
  scheduler: Scheduler;
  clock: Clock;
}

export function ingestDeps(wiring: IngestWiring): IngestDeps {
  const { client, tableName } = wiring;
  const directory = new DynamoDirectory(client, tableName);
  return {
    store: new DynamoCaseStore(client, tableName),
    directory,
    // The 202's warnings read the people an event names.
    people: directory,
    engine: wiring.engine,
    scheduler: wiring.scheduler,
    reminderAudit: new DynamoReminderAudit(client, tableName),
    clock: wiring.clock,
    decoded: new DecodedCases(),
  };
}

/** The webhook secret: from the environment, else from Secrets Manager. */
export async function webhookSecret(
  cfg: Pick<Config, 'webhookSecret' | 'webhookSecretArn'>,
): Promise<string> {
  const secret =
    cfg.webhookSecret ??
    (cfg.webhookSecretArn === undefined ? undefined : await secretString(cfg.webhookSecretArn));
  if (secret === undefined)
    throw new Error('Invalid configuration: set WEBHOOK_SECRET or WEBHOOK_SECRET_ARN');
  return secret;
}

/** The events Lambda in AWS: config, secret, clients, adapters, engine, EventBridge Scheduler. */
export async function awsEventsDeps(): Promise<EventsHandlerDeps> {
  const cfg = config(tableVars, authorityVars, schedulerVars, webhookVars);
  return {
    webhookSecret: await webhookSecret(cfg),
    ...ingestDeps({
      client: documentClient(),
      tableName: cfg.tableName,
      engine: await awsEngine(),
      // Fails the start when a scheduler variable is missing.
      scheduler: makeEventBridgeScheduler(cfg),
      clock: systemClock,
    }),
  };
}
