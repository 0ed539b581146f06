/**
 * The directory on the single table: people (PERSON#id / PROFILE), their away periods with a
 * second point of contact (PERSON#id / AWAY#from) and the EDT rota (ROTA / SHIFT#from#person).
 * Implements the `Directory` read port (reminder routing) and the `DirectoryWriter` the
 * event API uses; each write carries its event's idempotency record in one transaction.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  type QueryCommandOutput,
  TransactWriteCommand,
} from '@aws-sdk/lib-dynamodb';
import {
  type AwayPeriod,
  type Directory,
  type DirectoryWriter,
  EventAlreadyRecordedError,
  type EventRecord,
  type Person,
  type RotaShift,
  VersionConflictError,
} from '../../use-cases/ports.js';
import { eventRecordPut } from './case-store.js';
import { omitUndefined } from './codec.js';
import { keys } from './keys.js';

/** Longest EDT shift `onCallAt` looks back for (a shift starting earlier is not found). */
export const MAX_SHIFT_DAYS = 31;

export class DynamoDirectory implements Directory, DirectoryWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getPerson(personId: string): Promise<Person | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.person(personId) }),
    );
    if (Item === undefined) return undefined;
    return omitUndefined({
      personId: Item.personId as string,
      name: Item.name as string,
      email: Item.email as string,
      phone: Item.phone as string | undefined,
      team: Item.team as string | undefined,
      managerId: Item.managerId as string | undefined,
      updatedAt: Item.updatedAt as string,
    });
  }

  async awayAt(personId: string, at: Date): Promise<string | undefined> {
    const instant = at.toISOString();
    // Away periods per person are few: read those that started by `at`, latest first.
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': keys.person(personId).pk,
        ':lo': keys.awayPrefix,
        ':hi': `${keys.awayPrefix}${instant}`,
      },
      ScanIndexForward: false,
    });
    const covering = items.find((item) => (item.to as string) > instant);
    return covering === undefined ? undefined : (covering.delegateId as string);
  }

  async onCallAt(at: Date): Promise<string | undefined> {
    const instant = at.toISOString();
    const earliest = new Date(at.getTime() - MAX_SHIFT_DAYS * 86_400_000).toISOString();
    // The latest-starting shift that covers `at` wins (a swap entered later overrides).
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': keys.rotaPartition,
        ':lo': `${keys.shiftPrefix}${earliest}`,
        ':hi': `${keys.shiftPrefix}${instant}#\uffff`,
      },
      ScanIndexForward: false,
    });
    const covering = items.find(
      (item) => (item.from as string) <= instant && (item.to as string) > instant,
    );
    return covering === undefined ? undefined : (covering.personId as string);
  }

  async upsertPerson(person: Person, event: EventRecord): Promise<void> {
    const now = new Date(event.receivedAt);
    const put = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.person(person.personId),
          ...(person.team === undefined ? {} : keys.personIndex(person.team, person.personId)),
          entity: 'person',
          ...omitUndefined(person),
          eventId: event.eventId,
        },
        // Out-of-order delivery: an older upsert must not overwrite a newer profile.
        ConditionExpression: 'attribute_not_exists(pk) OR updatedAt <= :at',
        ExpressionAttributeValues: { ':at': person.updatedAt },
      },
    };
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [eventRecordPut(this.tableName, event, now), put],
        }),
      );
    } catch (error) {
      const reasons =
        error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : [];
      if (reasons[0]?.Code !== 'None' || reasons[1]?.Code !== 'ConditionalCheckFailed') {
        throw recordConflict(error, event);
      }
      // A newer profile is stored: record the event (answered as accepted) and change nothing else.
      await this.recordOnly(event, now);
    }
  }

  async addAway(away: AwayPeriod, event: EventRecord): Promise<void> {
    const from = new Date(away.from).toISOString();
    await this.writeWith(event, {
      ...keys.away(away.personId, from),
      entity: 'away',
      personId: away.personId,
      from,
      to: new Date(away.to).toISOString(),
      delegateId: away.delegateId,
      eventId: event.eventId,
    });
  }

  async addShift(shift: RotaShift, event: EventRecord): Promise<void> {
    const from = new Date(shift.from).toISOString();
    await this.writeWith(event, {
      ...keys.shift(from, shift.personId),
      entity: 'shift',
      personId: shift.personId,
      from,
      to: new Date(shift.to).toISOString(),
      eventId: event.eventId,
    });
  }

  private async writeWith(event: EventRecord, item: Record<string, unknown>): Promise<void> {
    const now = new Date(event.receivedAt);
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            eventRecordPut(this.tableName, event, now),
            { Put: { TableName: this.tableName, Item: item } },
          ],
        }),
      );
    } catch (error) {
      throw recordConflict(error, event);
    }
  }

  private async recordOnly(event: EventRecord, now: Date): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: [eventRecordPut(this.tableName, event, now)] }),
      );
    } catch (error) {
      throw recordConflict(error, event);
    }
  }

  private async queryAll(input: {
    KeyConditionExpression: string;
    ExpressionAttributeValues: Record<string, unknown>;
    ScanIndexForward: boolean;
  }): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page: QueryCommandOutput = await this.client.send(
        new QueryCommand({ TableName: this.tableName, ...input, ExclusiveStartKey: startKey }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }
}

function recordConflict(error: unknown, event: EventRecord): unknown {
  if (error instanceof TransactionCanceledException) {
    const reasons = error.CancellationReasons ?? [];
    if (reasons[0]?.Code === 'ConditionalCheckFailed')
      return new EventAlreadyRecordedError(event.eventId);
    // Another delivery's transaction is in flight on the same items: the caller retries.
    if (reasons.some((r) => r.Code === 'TransactionConflict'))
      return new VersionConflictError(event.eventId);
  }
  return error;
}
