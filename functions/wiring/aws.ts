/**
 * What every Lambda of the process shares in AWS: its configuration (`config()`), its
 * DynamoDB document client and the rule engine on the stored bank-holiday feed — each made
 * once, on first use (`lazy`: a failed start is retried by the next invocation).
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { makeDocumentClient } from '#commons/clients.js';
import { config } from '#commons/config.js';
import { lazy } from '#commons/lazy.js';
import type { BoundEngine } from '#use-cases/bind-engine.js';
import { engineWithStoredFeed } from './engine.js';

/** The process's document client (`DYNAMODB_ENDPOINT` points it at DynamoDB Local). */
export const documentClient: () => DynamoDBDocumentClient = lazy(() =>
  makeDocumentClient({ endpoint: config().dynamoEndpoint }),
);

/** The process's engine in AWS (the events and read Lambdas). */
export const awsEngine: () => Promise<BoundEngine> = lazy(() =>
  engineWithStoredFeed(documentClient(), config().tableName, config().authority),
);
