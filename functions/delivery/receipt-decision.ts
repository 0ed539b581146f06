/**
 * A delivery receipt, decided (pure): what it changes about its send.
 *
 * - A reference that is no send of ours (not a send id, or no claim under it): `unknown` —
 *   answered all the same (a provider would only redeliver it), logged and counted.
 * - The channel's first receipt: it settles the send (`settle`), written with its audit line;
 *   a failure is a person not told, followed up at once (`followUp`).
 * - The same receipt again (a redelivery): nothing to write (`duplicate`); a failure is
 *   followed up again — the follow-up sends nothing twice — so a crash before the first
 *   follow-up loses nothing.
 * - A receipt after another settled the channel (SES's complaint after its delivery, a late
 *   carrier report): recorded (`late`), and it changes nothing else.
 */
import type { ReminderAuditEntry } from '#kernel/records.js';
import {
  notDelivered,
  type Receipt,
  reminderParts,
  type SendKey,
  stepReminderId,
} from '#kernel/reminders/delivery.js';
import type { FollowUp, SendRecord } from './ports.js';

export type ReceiptDecision =
  | { kind: 'unknown'; reason: 'not-a-send-id' | 'no-such-send' }
  | { kind: 'settle'; line: ReminderAuditEntry; caseVersion: number; followUp?: FollowUp }
  | { kind: 'duplicate'; followUp?: FollowUp }
  | { kind: 'late'; line: ReminderAuditEntry; caseVersion: number };

export function decideReceipt(
  key: SendKey | undefined,
  found: SendRecord | undefined,
  receipt: Receipt,
): ReceiptDecision {
  if (key === undefined) return { kind: 'unknown', reason: 'not-a-send-id' };
  if (found?.claim === undefined) return { kind: 'unknown', reason: 'no-such-send' };
  const caseVersion = found.claim.caseVersion ?? 0;
  const followUp: FollowUp | undefined = notDelivered(receipt.state)
    ? {
        kind: 'undelivered',
        caseId: key.caseId,
        reminderId: key.reminderId,
        personId: key.personId,
      }
    : undefined;
  const settled = found.deliveries[key.channel];
  if (settled === undefined)
    return {
      kind: 'settle',
      line: receiptLine(key, receipt, false),
      caseVersion,
      ...(followUp ? { followUp } : {}),
    };
  if (settled.state === receipt.state)
    return { kind: 'duplicate', ...(followUp ? { followUp } : {}) };
  return { kind: 'late', line: receiptLine(key, receipt, true), caseVersion };
}

/** The receipt's line in the case's trail (a digest's in its team's). */
export function receiptLine(key: SendKey, receipt: Receipt, late: boolean): ReminderAuditEntry {
  const step = stepReminderId(key.reminderId);
  const { deadlineId } = reminderParts(step);
  return {
    caseId: key.caseId,
    at: receipt.at,
    kind: 'reminder-delivery',
    ...(deadlineId === '' || step.startsWith('digest:') ? {} : { deadlineId }),
    detail: {
      reminderId: step,
      personId: key.personId,
      channel: key.channel,
      state: receipt.state,
      provider: receipt.provider,
      ...(receipt.detail === undefined ? {} : { detail: receipt.detail }),
      ...(step === key.reminderId ? {} : { otherChannel: true }),
      ...(late ? { late: true } : {}),
    },
  };
}
