/**
 * What every Lambda of the process shares in AWS: its configuration (`config(…)`), its
 * DynamoDB document client, the rule engine on the stored bank-holiday feed and secret reads
 * — each made once, on first use (`lazy`: a failed start is retried by the next invocation).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BoundEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from './clients.js';
import { authorityVars, config, tableVars } from './config.js';
import { engineWithStoredFeed } from './engine.js';
import { lazy, lazyClient } from './lazy.js';

/** The process's document client (`DYNAMODB_ENDPOINT` points it at DynamoDB Local). */
export const documentClient: () => DynamoDBDocumentClient = lazy(() =>
  makeDocumentClient({ endpoint: config(tableVars).dynamoEndpoint }),
);

/**
 * The process's engine in AWS (the events and read Lambdas). Pure to esbuild: a bundle that
 * never asks for the engine (the web function reads with `settingsWithStoredFeed`) drops it,
 * and with it the authority's settings.
 */
export const awsEngine: () => Promise<BoundEngine> = /* @__PURE__ */ lazy(() =>
  engineWithStoredFeed(
    documentClient(),
    config(tableVars).tableName,
    config(authorityVars).authority,
  ),
);

/** Secrets Manager, its package imported on the first secret read. */
const secretsManager = lazyClient(
  async () => new (await import('@aws-sdk/client-secrets-manager')).SecretsManagerClient({}),
);

/** A secret's string value (the webhook secret, the alert-token key), read at a cold start. */
export async function secretString(arn: string): Promise<string> {
  const { GetSecretValueCommand } = await import('@aws-sdk/client-secrets-manager');
  const client = await secretsManager();
  const result = await client.send(new GetSecretValueCommand({ SecretId: arn }));
  if (result.SecretString === undefined) throw new Error(`secret ${arn} has no string value`);
  return result.SecretString.trim();
}
