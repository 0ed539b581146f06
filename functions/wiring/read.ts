/**
 * The read Lambda's dependencies: the case store and, for the planned-reminders route, the
 * engine's calendar and the directory. `readDeps` is shared by AWS and local mode.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { config } from '#commons/config.js';
import type { BoundEngine } from '#use-cases/bind-engine.js';
import type { ReadDeps } from '#use-cases/read-queries.js';
import { awsEngine, documentClient } from './aws.js';

export interface ReadWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  engine: Pick<BoundEngine, 'calendar'>;
}

export function readDeps(wiring: ReadWiring): ReadDeps {
  const { client, tableName, engine } = wiring;
  const directory = new DynamoDirectory(client, tableName);
  return {
    store: new DynamoCaseStore(client, tableName),
    reminders: {
      // Read at each request: a newer stored feed replaces the engine's calendar.
      get calendar() {
        return engine.calendar;
      },
      directory,
    },
    directory,
  };
}

/** The read Lambda in AWS, from the environment. */
export async function awsReadDeps(): Promise<ReadDeps> {
  return readDeps({
    client: documentClient(),
    tableName: config().tableName,
    engine: await awsEngine(),
  });
}
