/**
 * Calendar invitations served by the API, for a provider that cannot attach them (GOV.UK
 * Notify): the fire path stores each invitation before its email goes, under a token no one
 * can guess without the alert-token key (an HMAC of the send id), and its email links to
 * `GET /v1/invitations/<token>.ics`; the delivery feature serves it. Kept while the meeting's
 * clock may still matter (DynamoDB TTL deletes it afterwards).
 */
import { createHmac } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { busyAware } from './busy.js';
import * as keys from './keys.js';
import { TABLE_KEYS } from './table.js';

/** How long an invitation is served. */
export const INVITATION_TTL_DAYS = 400;

/** The token of a send's invitation: 128 bits of HMAC-SHA256, base64url. */
export function invitationToken(key: string, sendId: string): string {
  return createHmac('sha256', key)
    .update(`timescales-invitation-v1\u0000${sendId}`)
    .digest()
    .subarray(0, 16)
    .toString('base64url');
}

export const INVITATION_TOKEN = /^[A-Za-z0-9_-]{22}$/;

export class DynamoInvitations {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  /** Stores an invitation (the same token again overwrites it with the same text). */
  async put(token: string, ics: string, now: Date): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keys.invitation(token),
          entity: 'invitation',
          ics,
          storedAt: now.toISOString(),
          [TABLE_KEYS.ttlAttribute]:
            Math.floor(now.getTime() / 1000) + INVITATION_TTL_DAYS * 86_400,
        },
      }),
    );
  }

  async get(token: string): Promise<string | undefined> {
    const out = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.invitation(token),
        ConsistentRead: true,
      }),
    );
    return typeof out.Item?.ics === 'string' ? out.Item.ics : undefined;
  }
}
