/**
 * The fire path's reads and writes on the single table (`FiringStore`).
 *
 * Reads, strongly consistent BatchGetItems: a case with the directory stamp (`CONFIG` /
 * `DIRECTORY`) and the clock's alert state (`CLOCK#<case>#<deadline>` / `ALERTS`) in one call;
 * a digest's cases and clocks, 100 keys a call, side by side.
 *
 * A claim (`SEND#<case>#<reminder>#<person>` / `CLAIM`) is a conditional put before one
 * person's messages go (SMS and email alike): the first writer sends; a claim finished `sent`
 * or `failed` (each channel's outcome in `channels`) stops every later attempt; a `claimed`
 * item whose lease has expired (the sender crashed before finishing it) may be taken over, so
 * a crash delays a message but never loses it. A failed condition returns the item it found
 * (`ReturnValuesOnConditionCheckFailure`), so a duplicate costs no second read. With an alert
 * guard, the claim, the new alert (`attribute_not_exists`) and the clock's state (on its
 * revision) are one TransactWriteItems.
 *
 * The record is one BatchWriteItem: each claim's final state (put whole, unconditionally: the
 * messages went or failed whoever holds the lease now, and a finished claim must win over a
 * takeover's later attempt), the audit lines, the digest entry and the unrouted record. None
 * of it is conditional, so it is not a transaction: a transaction costs twice the write units
 * on AWS and about twice a put on DynamoDB Local. Every item is a final state under its own
 * key, so writing it again (the SDK's retry of the same request, the unprocessed part asked
 * again) changes nothing. A refused channel's follow-up, once done, marks its claim
 * (`followedUp`), so a later firing of the timer knows nothing is owed.
 */
import {
  type AttributeValue,
  ConditionalCheckFailedException,
  TransactionCanceledException,
} from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Alert, ClockAlerts } from '#kernel/alert-state.js';
import type { StoredCase } from '#kernel/records.js';
import { emptyClockAlerts } from '#kernel/reminders/alerts.js';
import type { FinalState } from '#kernel/reminders/delivery.js';
import { alertOf, alertPut, clockOf, clockPut } from '#platform/dynamodb/alerts.js';
import { batchGetAll, batchWriteAll } from '#platform/dynamodb/batch.js';
import { busyAware } from '#platform/dynamodb/busy.js';
import { storedCaseOf } from '#platform/dynamodb/codec.js';
import * as keys from '#platform/dynamodb/keys.js';
import { reminderAuditItems } from '#platform/dynamodb/reminder-audit.js';
import { digestEntryItem } from '#platform/dynamodb/timer-store.js';
import { unroutedItem } from '#platform/dynamodb/unrouted.js';
import type {
  ChannelOutcome,
  Claim,
  ClaimKey,
  ClaimResult,
  DigestState,
  FiringRecord,
  FiringState,
  FiringStore,
  SendContext,
} from './ports.js';
import type { SendState, SendStateStore } from './undelivered-ports.js';

/** Claims outlive any redelivery of a timer (EventBridge retries for at most 24 h). */
export const CLAIM_TTL_DAYS = 400;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
type Key = { pk: string; sk: string };

export class DynamoFiringStore implements FiringStore, SendStateStore {
  private readonly client: DynamoDBDocumentClient;
  private sequence = 0;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly newToken: () => string = () => crypto.randomUUID(),
  ) {
    this.client = busyAware(client);
  }

  async read(caseId: string, deadlineId?: string): Promise<FiringState> {
    const wanted = [keys.case(caseId), keys.directoryStamp()];
    if (deadlineId !== undefined) wanted.push(keys.clockAlerts(caseId, deadlineId));
    return firingStateOf(await this.batchGet(wanted), caseId, deadlineId);
  }

  async readDigest(
    caseIds: readonly string[],
    clocks: readonly { caseId: string; deadlineId: string }[],
  ): Promise<DigestState> {
    const clockKeys = [...new Map(clocks.map((c) => [`${c.caseId}|${c.deadlineId}`, c]))];
    const found = await this.batchGet([
      keys.directoryStamp(),
      ...caseIds.map((id) => keys.case(id)),
      ...clockKeys.map(([, c]) => keys.clockAlerts(c.caseId, c.deadlineId)),
    ]);
    const cases = new Map<string, StoredCase>();
    caseIds.forEach((id, i) => {
      const item = found[1 + i];
      if (item !== undefined) cases.set(id, storedCaseOf(item));
    });
    const states = new Map<string, ClockAlerts>();
    clockKeys.forEach(([key], i) => {
      const item = found[1 + caseIds.length + i];
      if (item !== undefined) states.set(key, clockOf(item));
    });
    return { cases, clocks: states, directoryGeneration: generationOf(found[0]) };
  }

  async readSends(
    claims: readonly ClaimKey[],
    caseId?: string,
    deadlineId?: string,
  ): Promise<Partial<FiringState> & { sends: SendState[] }> {
    const head =
      caseId === undefined
        ? []
        : [
            keys.case(caseId),
            keys.directoryStamp(),
            ...(deadlineId === undefined ? [] : [keys.clockAlerts(caseId, deadlineId)]),
          ];
    const perClaim = (k: ClaimKey) => [
      keys.sendClaim(k),
      keys.sendDelivery(k, 'email'),
      keys.sendDelivery(k, 'sms'),
    ];
    const found = await this.batchGet([...head, ...claims.flatMap(perClaim)]);
    const sends = claims.map((key, i): SendState => {
      const [claim, email, sms] = found.slice(head.length + 3 * i, head.length + 3 * i + 3);
      const deliveries: SendState['deliveries'] = {};
      if (email !== undefined) deliveries.email = email.state as FinalState;
      if (sms !== undefined) deliveries.sms = sms.state as FinalState;
      return {
        key,
        ...(claim === undefined
          ? {}
          : {
              claim: {
                state: claim.state as string,
                channels: (claim.channels ?? {}) as NonNullable<SendState['claim']>['channels'],
                context: claim.context as SendContext | undefined,
                claimedAt: claim.claimedAt as string | undefined,
              },
            }),
        deliveries,
      };
    });
    if (caseId === undefined) return { sends };
    return { sends, ...firingStateOf(found, caseId, deadlineId) };
  }

  async getAlerts(alertIds: readonly string[]): Promise<Map<string, Alert>> {
    const found = await this.batchGet([...new Set(alertIds)].map((id) => keys.alert(id)));
    const alerts = new Map<string, Alert>();
    for (const item of found)
      if (item !== undefined) alerts.set(item.alertId as string, alertOf(item));
    return alerts;
  }

  async claim(claim: Claim, now: Date, leaseMs: number): Promise<ClaimResult> {
    const token = this.newToken();
    const items: TransactItem[] = [];
    if (claim.key !== undefined)
      items.push(this.claimPut(claim.key, token, now, leaseMs, claim.context));
    const guard = claim.guard;
    if (guard?.alert !== undefined) items.push(alertPut(this.tableName, guard.alert));
    if (guard !== undefined)
      items.push(clockPut(this.tableName, guard.clock.before, guard.clock.after));
    const acquired = { outcome: 'acquired' as const, token, takeover: false };
    if (items.length === 1) {
      try {
        const put = (items[0] as { Put: PutInput }).Put;
        const out = await this.client.send(
          new PutCommand(claim.key === undefined ? put : { ...put, ReturnValues: 'ALL_OLD' }),
        );
        return { ...acquired, ...takenOver(out.Attributes) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return claim.key === undefined ? { outcome: 'conflict' } : claimFound(error.Item);
      }
    }
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      return acquired;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const reasons = error.CancellationReasons ?? [];
      const first = claim.key === undefined ? 0 : 1;
      const guardFailed = reasons.slice(first).some((r) => r.Code !== 'None');
      const claimReason = claim.key === undefined ? undefined : reasons[0];
      // The guard is decided from what was read: when it no longer holds, decide again.
      if (guardFailed || claimReason?.Code !== 'ConditionalCheckFailed')
        return { outcome: 'conflict' };
      return claimFound(claimReason.Item);
    }
  }

  async record(record: FiringRecord): Promise<void> {
    const items = [
      ...record.finished.map((f) =>
        this.finishedClaim(f.key, f.token, record.now, f.outcomes, f.context),
      ),
      ...record.audit.flatMap(({ entries, caseVersion }) =>
        reminderAuditItems(entries, caseVersion, () => this.sequence++),
      ),
      ...(record.digest === undefined ? [] : [digestEntryItem(record.digest)]),
      ...(record.unrouted === undefined ? [] : [record.unrouted].flat().map(unroutedItem)),
    ];
    if (items.length === 0) return;
    if (items.length === 1) {
      await this.client.send(new PutCommand({ TableName: this.tableName, Item: items[0] }));
      return;
    }
    // More than 25 only for a digest of many cases: its lines go 25 to a call.
    const puts = items.map((Item) => ({ PutRequest: { Item } }));
    await batchWriteAll(this.client, this.tableName, puts, 'firing record');
  }

  async followedUp(key: ClaimKey): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: keys.sendClaim(key),
        UpdateExpression: 'SET followedUp = :yes',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  private claimPut(
    key: ClaimKey,
    token: string,
    now: Date,
    leaseMs: number,
    context: SendContext | undefined,
  ): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: {
          ...sendClaimItem(key, context),
          state: 'claimed',
          token,
          claimedAt: now.toISOString(),
          leaseUntil: new Date(now.getTime() + leaseMs).toISOString(),
          expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_DAYS * 86_400,
        },
        ConditionExpression:
          'attribute_not_exists(pk) OR (#state = :claimed AND leaseUntil < :now)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':claimed': 'claimed', ':now': now.toISOString() },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      },
    };
  }

  /**
   * A claim's final state, put whole: the messages went (or failed) whoever holds the lease
   * now, and a finished claim must win over a takeover's later attempt. A channel a rate limit
   * held back leaves it open instead, its lease ended, with what did go (`channels`), for the
   * timer's retry to take over and send the rest.
   */
  private finishedClaim(
    key: ClaimKey,
    token: string,
    now: Date,
    outcomes: FiringRecord['finished'][number]['outcomes'],
    context: SendContext | undefined,
  ): Record<string, unknown> {
    const heldBack = outcomes.some((o) => o.state === 'throttled');
    const done = heldBack ? outcomes.filter((o) => o.state === 'sent') : outcomes;
    return {
      ...sendClaimItem(key, context),
      state: heldBack ? 'claimed' : outcomes.some((o) => o.state === 'sent') ? 'sent' : 'failed',
      ...(heldBack ? { leaseUntil: now.toISOString(), token } : { finishedAt: now.toISOString() }),
      channels: Object.fromEntries(done.map(({ channel, ...outcome }) => [channel, outcome])),
      lastToken: token,
      expiresAt: Math.floor(now.getTime() / 1000) + CLAIM_TTL_DAYS * 86_400,
    };
  }

  /** Strongly consistent BatchGetItems of `wanted` (100 a call, side by side), in their order. */
  private batchGet(wanted: readonly Key[]): Promise<(Record<string, unknown> | undefined)[]> {
    return batchGetAll(this.client, this.tableName, wanted, 'BatchGetItem of a firing');
  }
}

type PutInput = NonNullable<TransactItem['Put']>;

/**
 * What a takeover found of an earlier attempt: the channels it sent before a rate limit held
 * the rest back, or no record at all (it stopped mid-send).
 */
function takenOver(old: Record<string, unknown> | undefined): {
  takeover?: boolean;
  done?: ChannelOutcome[];
  unrecorded?: true;
} {
  if (old === undefined) return {};
  if (old.channels === undefined) return { takeover: true, unrecorded: true };
  const channels = old.channels as Record<string, { state?: string; messageId?: string }>;
  const done = Object.entries(channels)
    .filter(([, o]) => o.state === 'sent')
    .map(
      ([channel, o]): ChannelOutcome => ({
        channel: channel as ChannelOutcome['channel'],
        state: 'sent',
        ...(o.messageId === undefined ? {} : { messageId: o.messageId }),
      }),
    );
  return { takeover: true, ...(done.length === 0 ? {} : { done }) };
}

/**
 * What a claim's failed condition found: finished (a duplicate, owing a follow-up while a
 * refused channel's is not marked done), or held by a live lease.
 */
function claimFound(item: Record<string, AttributeValue> | undefined): ClaimResult {
  // The item comes back in DynamoDB's own shape (`{ state: { S: 'sent' } }`).
  const state = item?.state?.S;
  if (state !== 'sent' && state !== 'failed') return { outcome: 'in-flight' };
  const channels = Object.values(item?.channels?.M ?? {});
  const owed = item?.followedUp?.BOOL !== true && channels.some((c) => c.M?.state?.S === 'failed');
  return owed ? { outcome: state, followUpOwed: true } : { outcome: state };
}

function generationOf(stamp: Record<string, unknown> | undefined): number {
  return (stamp?.generation as number | undefined) ?? 0;
}

/** The case, the directory stamp and (with a deadline) its clock's alerts, as read together. */
function firingStateOf(
  [caseItem, stamp, clockItem]: (Record<string, unknown> | undefined)[],
  caseId: string,
  deadlineId: string | undefined,
): FiringState {
  return {
    ...(caseItem === undefined ? {} : { stored: storedCaseOf(caseItem) }),
    directoryGeneration: generationOf(stamp),
    ...(deadlineId === undefined
      ? {}
      : {
          clock:
            clockItem === undefined ? emptyClockAlerts(caseId, deadlineId) : clockOf(clockItem),
        }),
  };
}

/** A send claim's key and what names it: the fields every state of the claim carries. */
function sendClaimItem(key: ClaimKey, context: SendContext | undefined): Record<string, unknown> {
  return {
    ...keys.sendClaim(key),
    entity: 'send-claim',
    caseId: key.caseId,
    reminderId: key.reminderId,
    personId: key.personId,
    ...(context === undefined ? {} : { context }),
  };
}
