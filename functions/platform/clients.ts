/**
 * AWS SDK clients with the options the adapters rely on. The wiring (`functions/<feature>/wiring.ts`)
 * makes the process's clients once and injects them; tests build their own against the
 * stand-ins.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/**
 * The databases of one DynamoDB Local: the service's tables (`app`) and the scheduler
 * stand-in's timers (`scheduler`). Run as `npm start` runs it (`sharedDb: false`), DynamoDB
 * Local keeps one database file for each access key and region, so the key a client signs
 * with chooses the database; with a shared database (the tests') both are the same one.
 */
export type LocalDatabase = 'app' | 'scheduler';

/** DynamoDB Local names a database's file `<access key>_<region>.db`. */
export const LOCAL_REGION = 'eu-west-2';
export const LOCAL_ACCESS_KEYS: Readonly<Record<LocalDatabase, string>> = {
  app: 'local',
  scheduler: 'scheduler',
};

/**
 * A DynamoDB client's options: with an `endpoint` (a DynamoDB Local: production names none)
 * the fixed key and region of `database`, whatever the shell's AWS settings, so every client
 * of one DynamoDB Local opens the same files; without one the SDK's own chain.
 */
export function dynamoClientConfig(
  endpoint: string | undefined,
  database: LocalDatabase = 'app',
): DynamoDBClientConfig {
  if (endpoint === undefined) return {};
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: LOCAL_ACCESS_KEYS[database], secretAccessKey: 'local' },
  };
}

/** A document client with the marshalling options the adapters rely on. */
export function makeDocumentClient(
  options: { endpoint?: string | undefined; database?: LocalDatabase } = {},
): DynamoDBDocumentClient {
  const base = new DynamoDBClient(dynamoClientConfig(options.endpoint, options.database));
  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}
