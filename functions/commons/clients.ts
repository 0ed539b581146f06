/**
 * AWS SDK clients, made once per process (module scope) and injected into the adapters.
 * Tests build their own clients against the stand-ins instead of importing these.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

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

let documentClient: DynamoDBDocumentClient | undefined;
let secretsClient: SecretsManagerClient | undefined;

export function dynamo(endpoint?: string): DynamoDBDocumentClient {
  documentClient ??= makeDocumentClient({ endpoint });
  return documentClient;
}

/**
 * Reads a secret's string value (the webhook secret in AWS); called once, on the events
 * handler's first request. The Secrets Manager package is imported here, not at module load,
 * so the handlers that never read a secret (read, reminders) never load it.
 */
export async function readSecret(arn: string): Promise<string> {
  const { GetSecretValueCommand, SecretsManagerClient } = await import(
    '@aws-sdk/client-secrets-manager'
  );
  secretsClient ??= new SecretsManagerClient({});
  const result = await secretsClient.send(new GetSecretValueCommand({ SecretId: arn }));
  if (result.SecretString === undefined) throw new Error(`secret ${arn} has no string value`);
  return result.SecretString.trim();
}
