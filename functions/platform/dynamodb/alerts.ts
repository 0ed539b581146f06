/**
 * Out-of-hours alerts on the single table:
 *
 * - an alert (`ALERT#<alertId>` / `ALERT`, on gsi1 `ALERTS#<status>` / `<sentAt>#<alertId>`):
 *   what it was about and who it went to (ids only), its link's expiry, its status;
 * - a clock's alert state (`CLOCK#<caseId>#<deadlineId>` / `ALERTS`): the alerts awaiting
 *   acknowledgement, the acknowledgement, each phase's escalation, as one JSON attribute
 *   (`state`) with a `revision` every write conditions on.
 *
 * Every change of a clock is one conditional write (a transaction when alerts change with it),
 * so an acknowledgement and a new alert or escalation never both win on a stale read: the
 * loser gets `AlertConflictError`, reads again and decides again.
 */
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Alert, AlertAck, ClockAlerts } from '#kernel/alert-state.js';
import { AlertConflictError } from '#kernel/errors.js';
import type { AlertQueryInput, AlertStore } from '#kernel/ports.js';
import { emptyClockAlerts } from '#kernel/reminders/alerts.js';
import { busyAware } from './busy.js';
import { omitUndefined } from './codec.js';
import { indexCursor } from './cursor.js';
import * as keys from './keys.js';
import { queryPage } from './query.js';
import { TABLE_KEYS } from './table.js';

/** Alerts and clock states are kept as long as send claims (DynamoDB TTL deletes them after). */
export const ALERT_TTL_DAYS = 400;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** A new alert, written only if its id is free. */
export function alertPut(tableName: string, alert: Alert): TransactItem {
  return {
    Put: {
      TableName: tableName,
      Item: alertItem(alert),
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/** The clock's new state, written only if it is still at the revision read. */
export function clockPut(tableName: string, before: ClockAlerts, after: ClockAlerts): TransactItem {
  const revision = before.revision + 1;
  const item = {
    ...keys.clockAlerts(after.caseId, after.deadlineId),
    entity: 'clock-alerts',
    caseId: after.caseId,
    deadlineId: after.deadlineId,
    revision,
    state: JSON.stringify({ ...after, revision }),
    [TABLE_KEYS.ttlAttribute]: Math.floor(Date.now() / 1000) + ALERT_TTL_DAYS * 86_400,
  };
  return {
    Put: {
      TableName: tableName,
      Item: item,
      ...(before.revision === 0
        ? { ConditionExpression: 'attribute_not_exists(pk)' }
        : {
            ConditionExpression: 'revision = :revision',
            ExpressionAttributeValues: { ':revision': before.revision },
          }),
    },
  };
}

export class DynamoAlertStore implements AlertStore {
  private readonly client: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.client = busyAware(client);
  }

  async getAlert(alertId: string): Promise<Alert | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keys.alert(alertId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : alertOf(Item);
  }

  async getClock(caseId: string, deadlineId: string): Promise<ClockAlerts> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keys.clockAlerts(caseId, deadlineId),
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? emptyClockAlerts(caseId, deadlineId) : clockOf(Item);
  }

  async recordAlert(alert: Alert, before: ClockAlerts, after: ClockAlerts): Promise<void> {
    await this.transact([alertPut(this.tableName, alert), clockPut(this.tableName, before, after)]);
  }

  async saveClock(before: ClockAlerts, after: ClockAlerts): Promise<void> {
    await this.transact([clockPut(this.tableName, before, after)]);
  }

  async acknowledge(
    before: ClockAlerts,
    after: ClockAlerts,
    alertIds: readonly string[],
    ack: AlertAck,
  ): Promise<void> {
    // A transaction holds 100 items: the clock and at most 99 alerts (a clock has a handful).
    const updates: TransactItem[] = [...new Set(alertIds)].slice(0, 99).map((alertId) => ({
      Update: {
        TableName: this.tableName,
        Key: keys.alert(alertId),
        UpdateExpression: 'SET #status = :acknowledged, ack = :ack, gsi1pk = :partition',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':acknowledged': 'acknowledged',
          ':ack': ackItem(ack),
          ':partition': keys.alertStatusPartition('acknowledged'),
        },
      },
    }));
    await this.transact([clockPut(this.tableName, before, after), ...updates]);
  }

  async listAlerts(query: AlertQueryInput): Promise<{ alerts: Alert[]; nextCursor?: string }> {
    const partition = keys.alertStatusPartition(query.status);
    const found = await queryPage(
      this.client,
      {
        TableName: this.tableName,
        IndexName: TABLE_KEYS.gsi1.name,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': partition },
        ScanIndexForward: false,
        Limit: query.limit,
      },
      {
        ...query,
        key: indexCursor(TABLE_KEYS.gsi1, partition),
      },
    );
    const alerts = found.items.map(alertOf);
    return found.nextCursor === undefined ? { alerts } : { alerts, nextCursor: found.nextCursor };
  }

  private async transact(items: TransactItem[]): Promise<void> {
    try {
      await this.client.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const codes = (error.CancellationReasons ?? []).map((r) => r.Code);
        if (codes.some((c) => c === 'ConditionalCheckFailed' || c === 'TransactionConflict'))
          throw new AlertConflictError(String(items[0]?.Put?.Item?.pk ?? 'alert'));
      }
      throw error;
    }
  }
}

function ackItem(ack: AlertAck): Record<string, unknown> {
  return omitUndefined({ ...ack, at: ack.at.toISOString() });
}

function alertItem(alert: Alert): Record<string, unknown> {
  const sentAt = alert.sentAt.toISOString();
  return omitUndefined({
    ...keys.alert(alert.alertId),
    ...keys.alertIndex(alert.status, sentAt, alert.alertId),
    entity: 'alert',
    ...alert,
    tier: String(alert.tier),
    sentAt,
    dueAt: alert.dueAt.toISOString(),
    validUntil: alert.validUntil.toISOString(),
    ack: alert.ack === undefined ? undefined : ackItem(alert.ack),
    [TABLE_KEYS.ttlAttribute]: Math.floor(alert.sentAt.getTime() / 1000) + ALERT_TTL_DAYS * 86_400,
  });
}

function tierOf(text: unknown): Alert['tier'] {
  return text === '2' ? 2 : text === 'fallback' ? 'fallback' : 1;
}

function ackOfItem(item: Record<string, unknown> | undefined): AlertAck | undefined {
  if (item === undefined) return undefined;
  const by: AlertAck['by'] = item.by === 'integration' ? 'integration' : tierOf(String(item.by));
  return omitUndefined({
    at: new Date(item.at as string),
    alertId: item.alertId as string,
    via: item.via as AlertAck['via'],
    by,
    personId: item.personId as string | undefined,
    phase: item.phase as AlertAck['phase'],
  });
}

export function alertOf(item: Record<string, unknown>): Alert {
  const ack = ackOfItem(item.ack as Record<string, unknown> | undefined);
  return {
    alertId: item.alertId as string,
    caseId: item.caseId as string,
    deadlineId: item.deadlineId as string,
    rule: item.rule as string,
    step: item.step as string,
    reminderId: item.reminderId as string,
    tier: tierOf(item.tier),
    personId: item.personId as string,
    phase: item.phase as Alert['phase'],
    version: item.version as number,
    sentAt: new Date(item.sentAt as string),
    dueAt: new Date(item.dueAt as string),
    validUntil: new Date(item.validUntil as string),
    status: item.status as Alert['status'],
    ...(ack === undefined ? {} : { ack }),
  };
}

/** The clock's state from its JSON, instants revived. */
export function clockOf(item: Record<string, unknown>): ClockAlerts {
  const state = JSON.parse(item.state as string) as ClockAlerts & Record<string, unknown>;
  const ack = state.ack === undefined ? undefined : { ...state.ack, at: new Date(state.ack.at) };
  const chains: ClockAlerts['chains'] = {};
  for (const [phase, chain] of Object.entries(state.chains ?? {})) {
    if (chain === undefined) continue;
    chains[phase as keyof ClockAlerts['chains']] = {
      ...chain,
      startedAt: new Date(chain.startedAt),
      escalations: chain.escalations.map((e) => ({ ...e, at: new Date(e.at) })),
    };
  }
  return {
    caseId: state.caseId,
    deadlineId: state.deadlineId,
    revision: item.revision as number,
    open: state.open ?? [],
    ...(ack === undefined ? {} : { ack }),
    chains,
  };
}
