/**
 * The read Lambda's dependencies: the case store, the unrouted reminders, the alerts and, for the
 * planned-reminders route, the engine's calendars (the authority's and each case division's),
 * its reminder plans (with the authority's overrides), the directory and the fallback contact.
 * `readDeps` is shared by AWS and local mode.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BoundEngine } from '#kernel/engine/bound.js';
import { fallbackPerson } from '#kernel/reminders/routing.js';
import { awsEngine, documentClient } from '#platform/aws.js';
import { authorityVars, config, tableVars } from '#platform/config.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import type { ReadDeps } from './read-queries.js';
import { DynamoUnroutedStore } from './unrouted-store.js';

export interface ReadWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  engine: Pick<BoundEngine, 'calendar' | 'calendarFor' | 'plans'>;
  /** Its fallback contact is shown in the reminders view (as `@fallback`). */
  authority?: Pick<AuthorityConfig, 'fallbackContact'> | undefined;
}

export function readDeps(wiring: ReadWiring): ReadDeps {
  const { client, tableName, engine } = wiring;
  const directory = new DynamoDirectory(client, tableName);
  const fallback = wiring.authority?.fallbackContact;
  return {
    store: new DynamoCaseStore(client, tableName),
    reminders: {
      // Read at each request: a newer stored feed replaces the engine's calendar.
      get calendar() {
        return engine.calendar;
      },
      // A case in another division is listed on its own bank holidays, as the fire path sends.
      calendarFor: (division) => engine.calendarFor(division),
      plans: engine.plans,
      directory,
      fallback: fallback === undefined ? undefined : fallbackPerson(fallback),
    },
    unrouted: new DynamoUnroutedStore(client, tableName),
    alerts: new DynamoAlertStore(client, tableName),
    directory,
  };
}

/** The read Lambda in AWS, from the environment. */
export async function awsReadDeps(): Promise<ReadDeps> {
  const cfg = config(tableVars, authorityVars);
  return readDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    engine: await awsEngine(),
    authority: cfg.authority,
  });
}
