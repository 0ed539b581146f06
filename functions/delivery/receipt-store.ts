/**
 * Delivery receipts on the single table: beside each send's claim (`SEND#<case>#<reminder>#
 * <person>` / `CLAIM`), one item per channel its first receipt settled (`DELIVERY#<channel>`:
 * the state, when, which provider said so). The claim is the fire path's; a receipt never
 * writes it, so a receipt that arrives before the firing has recorded its sends loses nothing.
 *
 * Reading a send is ONE Query of its claim's partition. Settling a channel is ONE
 * TransactWriteItems: the delivery item (only if none is there) and its audit line. An audit
 * line's key is made from the receipt (send, state, time), so writing the same receipt's line
 * again rewrites the same item.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import { fnv1a64 } from '#kernel/ids.js';
import type { ChannelName, ReminderAuditEntry } from '#kernel/records.js';
import type { FinalState, Receipt, SendKey } from '#kernel/reminders/delivery.js';
import { busyAware } from '#platform/dynamodb/busy.js';
import * as keys from '#platform/dynamodb/keys.js';
import type { ReceiptStore, SendRecord } from './ports.js';

/** Receipts are kept as long as the claims they settle. */
const DELIVERY_TTL_DAYS = 400;

export class DynamoReceiptStore implements ReceiptStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  async read(key: SendKey): Promise<SendRecord> {
    const out = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': keys.sendClaim(key).pk },
        ConsistentRead: true,
      }),
    );
    const record: SendRecord = { deliveries: {} };
    for (const item of out.Items ?? []) {
      if (item.sk === 'CLAIM') {
        const context = item.context as { caseVersion?: number } | undefined;
        record.claim = { state: item.state as string, caseVersion: context?.caseVersion };
      } else if (typeof item.sk === 'string' && item.sk.startsWith('DELIVERY#')) {
        record.deliveries[item.sk.slice('DELIVERY#'.length) as ChannelName] = {
          state: item.state as FinalState,
          at: item.at as string,
        };
      }
    }
    return record;
  }

  async settle(
    key: SendKey,
    receipt: Receipt,
    line: ReminderAuditEntry,
    caseVersion: number,
  ): Promise<boolean> {
    const now = new Date();
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName: this.tableName,
                Item: {
                  ...keys.sendDelivery(key, key.channel),
                  entity: 'send-delivery',
                  caseId: key.caseId,
                  reminderId: key.reminderId,
                  personId: key.personId,
                  channel: key.channel,
                  state: receipt.state,
                  at: receipt.at.toISOString(),
                  provider: receipt.provider,
                  ...(receipt.detail === undefined ? {} : { detail: receipt.detail }),
                  receivedAt: now.toISOString(),
                  expiresAt: Math.floor(now.getTime() / 1000) + DELIVERY_TTL_DAYS * 86_400,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName: this.tableName, Item: this.lineItem(line, caseVersion, receipt) } },
          ],
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  async note(line: ReminderAuditEntry, caseVersion: number, receipt: Receipt): Promise<void> {
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: this.lineItem(line, caseVersion, receipt),
      }),
    );
  }

  /** The receipt's audit line, under a key made from the receipt (the shape `listAudit` reads). */
  private lineItem(line: ReminderAuditEntry, caseVersion: number, receipt: Receipt) {
    const at = line.at.toISOString();
    const suffix = `D${fnv1a64(`${receipt.sendId}|${receipt.state}|${at}`)}`;
    return {
      ...keys.reminderAudit(line.caseId, caseVersion, at, suffix),
      entity: 'audit',
      caseId: line.caseId,
      entries: [
        {
          at,
          kind: line.kind,
          ...(line.deadlineId === undefined ? {} : { deadlineId: line.deadlineId }),
          detail: line.detail,
        },
      ],
    };
  }
}
