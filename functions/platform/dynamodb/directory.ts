/**
 * The directory on the single table: people (PERSON#id / PROFILE), their away periods with a
 * second point of contact (PERSON#id / AWAY#from) and the EDT rota (ROTA / SHIFT#from#person).
 * Implements the `Directory` read port (reminder routing) and the `DirectoryWriter` the
 * event API uses; each write carries its event's idempotency record in one transaction, and
 * bumps the directory stamp (CONFIG / DIRECTORY, `generation`) in that same transaction, so a
 * cache of the directory (`CachedDirectory`) knows exactly when it is out of date.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { EventAlreadyRecordedError, VersionConflictError } from '#kernel/errors.js';
import type { AwayPeriod, Person, RotaShift, StoredShift } from '#kernel/people.js';
import type { Directory, DirectoryListing, DirectoryWriter } from '#kernel/ports.js';
import type { EventRecord } from '#kernel/records.js';
import {
  type AwaySpan,
  delegateAt,
  MAX_SHIFT_MS,
  onCallFrom,
  type ShiftSpan,
  teamManagerOf,
} from '#kernel/reminders/directory-rules.js';
import { busyAware } from './busy.js';
import { omitUndefined } from './codec.js';
import { indexCursor, tableCursor } from './cursor.js';
import { eventRecordPut } from './event-records.js';
import * as keys from './keys.js';
import { queryAll, queryPage } from './query.js';
import { TABLE_KEYS } from './table.js';

export { MAX_SHIFT_DAYS } from '#kernel/reminders/directory-rules.js';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

export interface DynamoDirectoryOptions {
  /**
   * Strongly consistent reads (what a cache invalidated by the directory stamp needs: data
   * read after the stamp must be at least as new as it). @default false (eventually consistent)
   */
  consistentReads?: boolean;
}

export class DynamoDirectory implements Directory, DirectoryWriter, DirectoryListing {
  private readonly client: DynamoDBDocumentClient;
  private readonly consistent: boolean;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    options: DynamoDirectoryOptions = {},
  ) {
    this.client = busyAware(client);
    this.consistent = options.consistentReads ?? false;
  }

  async getPerson(personId: string): Promise<Person | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.person(personId),
        ...(this.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return Item === undefined ? undefined : toPerson(Item);
  }

  /** Away periods that end after `at` (current and coming ones), by end. */
  async awayEndingAfter(at: Date): Promise<AwayPeriod[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi2.name,
      KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk > :at',
      ExpressionAttributeValues: { ':pk': keys.awayPartition, ':at': at.toISOString() },
    });
    return items.map((item) => ({ personId: item.personId as string, ...toAwaySpan(item) }));
  }

  async listPeople(page: {
    team?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ people: Person[]; nextCursor?: string }> {
    // A team's people are on gsi1 (TEAM#team); everyone on gsi2 (PEOPLE). Both by person id.
    const [index, partition] =
      page.team === undefined
        ? ([TABLE_KEYS.gsi2, keys.peoplePartition] as const)
        : ([TABLE_KEYS.gsi1, keys.teamPartition(page.team)] as const);
    const found = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: index.name,
        KeyConditionExpression: `${index.partitionKey} = :p`,
        ExpressionAttributeValues: { ':p': partition },
        Limit: page.limit,
      },
      {
        ...page,
        key: indexCursor(index, partition),
      },
    );
    const people = found.items.map(toPerson);
    return found.nextCursor === undefined ? { people } : { people, nextCursor: found.nextCursor };
  }

  async listShifts(page: {
    from: Date;
    to: Date;
    limit: number;
    cursor?: string | undefined;
  }): Promise<{ shifts: StoredShift[]; nextCursor?: string }> {
    // Shifts are sorted by start: those overlapping [from, to) started at most one longest
    // shift before `from` and before `to`.
    const from = page.from.toISOString();
    const found = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: {
          ':pk': keys.rotaPartition,
          ':lo': `${keys.shiftPrefix}${new Date(page.from.getTime() - MAX_SHIFT_MS).toISOString()}`,
          ':hi': `${keys.shiftPrefix}${page.to.toISOString()}`,
        },
      },
      { ...page, key: tableCursor(keys.rotaPartition) },
      (item) => (item.to as string) > from,
    );
    const shifts = found.items.map((item) =>
      omitUndefined({
        personId: item.personId as string,
        from: item.from as string,
        to: item.to as string,
        tier: item.tier as 1 | 2 | undefined,
      }),
    );
    return found.nextCursor === undefined ? { shifts } : { shifts, nextCursor: found.nextCursor };
  }

  async awayAt(personId: string, at: Date): Promise<string | undefined> {
    // Away periods per person are few: read those that started by `at`.
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': keys.person(personId).pk,
        ':lo': keys.awayPrefix,
        ':hi': `${keys.awayPrefix}${at.toISOString()}`,
      },
    });
    return delegateAt(items.map(toAwaySpan), at);
  }

  async onCallAt(at: Date, tier: 1 | 2 = 1): Promise<string | undefined> {
    return onCallFrom(
      await this.shiftsStarting(new Date(at.getTime() - MAX_SHIFT_MS), at),
      at,
      tier,
    );
  }

  async teamManager(team: string): Promise<string | undefined> {
    return teamManagerOf(await this.teamMembers(team));
  }

  /** The people of a team (one Query of gsi1 `TEAM#<team>`: an index, so never consistent). */
  async teamMembers(team: string): Promise<{ personId: string; managerId?: string }[]> {
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      IndexName: TABLE_KEYS.gsi1.name,
      KeyConditionExpression: 'gsi1pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.teamPartition(team) },
      ProjectionExpression: 'personId, managerId',
    });
    return items.map((i) =>
      omitUndefined({
        personId: i.personId as string,
        managerId: i.managerId as string | undefined,
      }),
    );
  }

  /** Every away period of a person, oldest first (one Query, however long ago they were). */
  async awayPeriods(personId: string): Promise<AwayPeriod[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.person(personId).pk, ':prefix': keys.awayPrefix },
    });
    return items.map((item) => ({ personId, ...toAwaySpan(item) }));
  }

  /** The rota shifts starting from `from` to `to`, both inclusive (one Query). */
  async shiftsStarting(from: Date, to: Date): Promise<ShiftSpan[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: {
        ':pk': keys.rotaPartition,
        ':lo': `${keys.shiftPrefix}${from.toISOString()}`,
        ':hi': `${keys.shiftPrefix}${to.toISOString()}#\uffff`,
      },
    });
    return items.map((item) =>
      omitUndefined({
        personId: item.personId as string,
        from: item.from as string,
        to: item.to as string,
        // Shifts written before tiers existed are tier 1.
        tier: item.tier as 1 | 2 | undefined,
      }),
    );
  }

  /** The directory's generation: the stamp every write bumps (0 before the first write). */
  async generation(): Promise<number> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.directoryStamp(),
        ProjectionExpression: 'generation',
        ...(this.consistent ? { ConsistentRead: true } : {}),
      }),
    );
    return (Item?.generation as number | undefined) ?? 0;
  }

  async upsertPerson(person: Person, event: EventRecord): Promise<void> {
    const now = new Date(event.receivedAt);
    const put = {
      Put: {
        TableName: this.tableName,
        Item: {
          ...keys.person(person.personId),
          ...(person.team === undefined ? {} : keys.personIndex(person.team, person.personId)),
          ...keys.peopleIndex(person.personId),
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
      // Cancellation reasons are indexed: [0] the event record, [1] the profile, [2] the stamp.
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: [eventRecordPut(this.tableName, event, now), put, this.stampBump()],
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
      ...keys.awayIndex(new Date(away.to).toISOString(), away.personId, from),
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
      ...(shift.tier === undefined || shift.tier === 1 ? {} : { tier: shift.tier }),
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
            this.stampBump(),
          ],
        }),
      );
    } catch (error) {
      throw recordConflict(error, event);
    }
  }

  /** The directory changed: the stamp's generation goes up by one, in the write's transaction. */
  private stampBump(): TransactItem {
    return {
      Update: {
        TableName: this.tableName,
        Key: keys.directoryStamp(),
        UpdateExpression: 'ADD generation :one',
        ExpressionAttributeValues: { ':one': 1 },
      },
    };
  }

  /** Records the event only: the directory is unchanged, so the stamp is too. */
  private async recordOnly(event: EventRecord, now: Date): Promise<void> {
    try {
      await this.client.send(
        new TransactWriteCommand({ TransactItems: [eventRecordPut(this.tableName, event, now)] }),
      );
    } catch (error) {
      throw recordConflict(error, event);
    }
  }

  private queryAll(
    input: Omit<QueryCommandInput, 'TableName'>,
  ): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      ...input,
      ...(this.consistent ? { ConsistentRead: true } : {}),
    });
  }
}

/** A person item as `Person`. */
export function toPerson(item: Record<string, unknown>): Person {
  return omitUndefined({
    personId: item.personId as string,
    name: item.name as string,
    email: item.email as string,
    phone: item.phone as string | undefined,
    team: item.team as string | undefined,
    managerId: item.managerId as string | undefined,
    updatedAt: item.updatedAt as string,
  });
}

function toAwaySpan(item: Record<string, unknown>): AwaySpan {
  return {
    from: item.from as string,
    to: item.to as string,
    delegateId: item.delegateId as string,
  };
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
