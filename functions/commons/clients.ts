/**
 * AWS SDK clients with the options the adapters rely on. The wiring (`functions/wiring/`)
 * makes the process's clients once and injects them; tests build their own against the
 * stand-ins.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { lazyClient } from './lazy.js';

/** A document client with the marshalling options the adapters rely on. */
export function makeDocumentClient(
  options: { endpoint?: string | undefined } = {},
): DynamoDBDocumentClient {
  const base = new DynamoDBClient(
    options.endpoint === undefined ? {} : { endpoint: options.endpoint },
  );
  return DynamoDBDocumentClient.from(base, {
    marshallOptions: { removeUndefinedValues: true, convertEmptyValues: false },
  });
}

/** Secrets Manager, its package imported on the first secret read (only the events handler reads one). */
const secretsManager = lazyClient(
  async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
);

/**
 * Reads a secret's string value (the webhook secret in AWS); called once, on the events
 * handler's first request. The Secrets Manager package is imported here, not at module load,
 * so the handlers that never read a secret (read, reminders) never load it.
 */
export async function readSecret(arn: string): Promise<string> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = await secretsManager();
  const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (result.SecretString === undefined) throw new Error(`secret ${arn} has no string value`);
  return result.SecretString.trim();
}
