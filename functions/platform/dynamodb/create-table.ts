/**
 * Creates the single table as the CDK stack declares it (on-demand, both GSIs projecting ALL,
 * TTL on `expiresAt`). For local mode and tests only; in AWS the stateful stack owns the table.
 */
import {
  CreateTableCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ResourceInUseException,
  ResourceNotFoundException,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_KEYS } from './table.js';

/** The table's indexes by name. */
export type IndexName = 'gsi1' | 'gsi2';

/**
 * Creates `tableName` unless it exists; returns true when it created it. `indexes` narrows it
 * to the indexes its items use: the scheduler stand-in's copy holds only timers, on gsi2, and
 * DynamoDB Local keeps every index of a table up to date on every write (a timer put costs
 * ~13 % less without gsi1).
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  indexes: readonly IndexName[] = ['gsi1', 'gsi2'],
): Promise<boolean> {
  if (await tableExists(client, tableName)) return false;
  const chosen = indexes.map((name) => TABLE_KEYS[name]);
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: TABLE_KEYS.partitionKey, AttributeType: 'S' },
          { AttributeName: TABLE_KEYS.sortKey, AttributeType: 'S' },
          ...chosen.flatMap((index) => [
            { AttributeName: index.partitionKey, AttributeType: 'S' as const },
            { AttributeName: index.sortKey, AttributeType: 'S' as const },
          ]),
        ],
        KeySchema: [
          { AttributeName: TABLE_KEYS.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_KEYS.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: chosen.map((index) => ({
          IndexName: index.name,
          KeySchema: [
            { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
            { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
          ],
          Projection: { ProjectionType: 'ALL' as const },
        })),
      }),
    );
  } catch (error) {
    if (error instanceof ResourceInUseException) return false; // created concurrently
    throw error;
  }
  await waitUntilTableExists({ client, maxWaitTime: 60 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_KEYS.ttlAttribute, Enabled: true },
    }),
  );
  return true;
}

async function tableExists(client: DynamoDBClient, tableName: string): Promise<boolean> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return true;
  } catch (error) {
    if (error instanceof ResourceNotFoundException) return false;
    throw error;
  }
}
