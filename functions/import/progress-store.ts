/**
 * Drop-bucket import checkpoints on the single table (`IMPORT#<bucket>/<key>` /
 * `PROGRESS#<version>`): the next line to import, the tally so far and the report's lists, so
 * an invocation that runs out of time (or dies) is resumed where it stopped. Expire with TTL.
 */
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { busyAware } from '#platform/dynamodb/busy.js';
import * as keys from '#platform/dynamodb/keys.js';
import type { ImportCheckpoint, ImportObject, ImportProgressStore } from './ports.js';

/** Checkpoints outlive any import by far; then DynamoDB TTL removes them. */
const KEEP_DAYS = 30;

export class DynamoImportProgress implements ImportProgressStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  async load(object: ImportObject): Promise<ImportCheckpoint | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.importProgress(object.bucket, object.key, object.version),
        ConsistentRead: true,
      }),
    );
    return Item === undefined
      ? undefined
      : (JSON.parse(Item.checkpoint as string) as ImportCheckpoint);
  }

  async save(object: ImportObject, checkpoint: ImportCheckpoint, now: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.importProgress(object.bucket, object.key, object.version),
          entity: 'import-progress',
          checkpoint: JSON.stringify(checkpoint),
          updatedAt: now.toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + KEEP_DAYS * 86_400,
        },
      }),
    );
  }
}
