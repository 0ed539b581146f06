/**
 * Event idempotency records: one item per webhook or import event id, written in the same
 * transaction as what the event changed (a case, or the directory), so a redelivery finds it.
 */
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import type { EventRecord } from '#kernel/records.js';
import * as keys from './keys.js';
import { TABLE_KEYS } from './table.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** The idempotency record's Put: fails when the id is already taken. */
export function eventRecordPut(tableName: string, event: EventRecord, now: Date): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keys.event(event.eventId),
        entity: 'event',
        ...event,
        [TABLE_KEYS.ttlAttribute]:
          Math.floor(now.getTime() / 1000) + keys.EVENT_RECORD_TTL_DAYS * 86_400,
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

export function fromEventItem(item: Record<string, unknown>): EventRecord {
  return {
    eventId: item.eventId as string,
    type: item.type as string,
    caseId: (item.caseId as string | null | undefined) ?? null,
    bodyHash: item.bodyHash as string,
    answer: item.answer as EventRecord['answer'],
    receivedAt: item.receivedAt as string,
  };
}
