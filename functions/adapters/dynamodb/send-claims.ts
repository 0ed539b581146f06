/**
 * Send claims and reminder audit lines on the single table.
 *
 * A claim item (`SEND#<case>#<reminder>#<person>#<channel>` / `CLAIM`) is written with a
 * conditional put before a message goes: the first writer sends; a claim marked `sent` or
 * `failed` stops every later attempt; a `claimed` item whose lease has expired (the sender
 * crashed before marking it) may be taken over, so a crash delays a message but never loses it.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ClaimKey,
  ClaimResult,
  ReminderAudit,
  ReminderAuditEntry,
  SendClaims,
} from '../../domain/reminders/ports.js';

/** Claims outlive any redelivery of a timer (EventBridge retries for at most 24 h). */
export const CLAIM_TTL_DAYS = 400;

export function claimKey(key: ClaimKey): { pk: string; sk: string } {
  return {
    pk: `SEND#${key.caseId}#${key.reminderId}#${key.personId}#${key.channel}`,
    sk: 'CLAIM',
  };
}

export class DynamoSendClaims implements SendClaims {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly newToken: () => string = () => crypto.randomUUID(),
  ) {}

  async claim(key: ClaimKey, now: Date, leaseMs: number): Promise<ClaimResult> {
    const token = this.newToken();
    const item = {
      ...claimKey(key),
      entity: 'send-claim',
      caseId: key.caseId,
      reminderId: key.reminderId,
      personId: key.personId,
      channel: key.channel,
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
      new GetCommand({ TableName: this.tableName, Key: claimKey(key), ConsistentRead: true }),
    );
    if (Item?.state === 'sent') return { outcome: 'sent' };
    if (Item?.state === 'failed') return { outcome: 'failed' };
    return { outcome: 'in-flight' };
  }

  async markSent(key: ClaimKey, token: string, now: Date, messageId?: string): Promise<void> {
    await this.finish(key, token, now, 'sent', messageId === undefined ? {} : { messageId });
  }

  async markFailed(key: ClaimKey, token: string, now: Date, reason: string): Promise<void> {
    await this.finish(key, token, now, 'failed', { reason });
  }

  private async finish(
    key: ClaimKey,
    token: string,
    now: Date,
    state: 'sent' | 'failed',
    extra: Record<string, string>,
  ): Promise<void> {
    const names: Record<string, string> = { '#state': 'state' };
    const values: Record<string, unknown> = { ':state': state, ':at': now.toISOString() };
    let set = '#state = :state, finishedAt = :at';
    for (const [field, value] of Object.entries(extra)) {
      names[`#${field}`] = field;
      values[`:${field}`] = value;
      set += `, #${field} = :${field}`;
    }
    // Written unconditionally (not on the token): the message went (or failed) whoever holds
    // the lease now, and `sent` must win over a takeover's later attempt.
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: claimKey(key),
        UpdateExpression: `SET ${set}, lastToken = :token`,
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ...values, ':token': token },
      }),
    );
  }
}

/**
 * Reminder audit lines in the case's trail: one item per append (`CASE#<id>` /
 * `AUDIT#<case version>#R#<at>#<n>`) holding its `entries`, the shape the store's `listAudit`
 * reads. The key sorts after the engine's item of the same case version. Appended outside the
 * case transaction: a reminder must not bump the case version.
 */
export class DynamoReminderAudit implements ReminderAudit {
  private sequence = 0;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async append(entries: ReminderAuditEntry[], caseVersion: number): Promise<void> {
    const byCase = new Map<string, ReminderAuditEntry[]>();
    for (const e of entries) byCase.set(e.caseId, [...(byCase.get(e.caseId) ?? []), e]);
    for (const [caseId, lines] of byCase) {
      const first = lines[0] as ReminderAuditEntry;
      const version = String(caseVersion).padStart(10, '0');
      const n = String(this.sequence++ % 10_000).padStart(4, '0');
      const unique = crypto.randomUUID().slice(0, 8);
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            pk: `CASE#${caseId}`,
            sk: `AUDIT#${version}#R#${first.at.toISOString()}#${n}${unique}`,
            entity: 'audit',
            caseId,
            entries: lines.map((e) => ({
              at: e.at.toISOString(),
              kind: e.kind,
              ...(e.deadlineId === undefined ? {} : { deadlineId: e.deadlineId }),
              detail: e.detail,
            })),
          },
        }),
      );
    }
  }
}
