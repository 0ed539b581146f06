/**
 * Send claims and reminder audit lines on the single table.
 *
 * A claim item (`SEND#<case>#<reminder>#<person>` / `CLAIM`) is written with a conditional put
 * before a reminder's messages to one person go (SMS and email alike): the first writer sends;
 * a claim finished `sent` or `failed` (each channel's outcome in `channels`) stops every later
 * attempt; a `claimed` item whose lease has expired (the sender crashed before finishing it)
 * may be taken over, so a crash delays a message but never loses it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { busyAware } from '#platform/dynamodb/busy.js';
import * as keys from '#platform/dynamodb/keys.js';
import type { ChannelOutcome, ClaimKey, ClaimResult, SendClaims } from './ports.js';

/** Claims outlive any redelivery of a timer (EventBridge retries for at most 24 h). */
export const CLAIM_TTL_DAYS = 400;

export class DynamoSendClaims implements SendClaims {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly newToken: () => string = () => crypto.randomUUID(),
  ) {
    this.client = busyAware(client);
  }

  async claim(key: ClaimKey, now: Date, leaseMs: number): Promise<ClaimResult> {
    const token = this.newToken();
    const item = {
      ...keys.sendClaim(key),
      entity: 'send-claim',
      caseId: key.caseId,
      reminderId: key.reminderId,
      personId: key.personId,
      state: 'claimed',
      token,
      claimedAt: now.toISOString(),
      leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
      expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_DAYS * 86_400,
    };
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: item,
          ConditionExpression:
            'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.toISOString() },
        }),
      );
      return { outcome: 'acquired', token, takeover: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.sendClaim(key), ConsistentRead: true }),
    );
    if (Item?.state === 'sent') return { outcome: 'sent' };
    if (Item?.state === 'failed') return { outcome: 'failed' };
    return { outcome: 'in-flight' };
  }

  async finish(key: ClaimKey, token: string, now: Date, outcomes: ChannelOutcome[]) {
    const channels = Object.fromEntries(
      outcomes.map(({ channel, ...outcome }) => [channel, outcome]),
    );
    // Written unconditionally (not on the token): the messages went (or failed) whoever holds
    // the lease now, and a finished claim must win over a takeover's later attempt.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendClaim(key),
        UpdateExpression:
          'SET #state = :state, finishedAt = :at, channels = :channels, lastToken = :token',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':state': outcomes.some((o) => o.state === 'sent') ? 'sent' : 'failed',
          ':at': now.toISOString(),
          ':channels': channels,
          ':token': token,
        },
      }),
    );
  }
}
