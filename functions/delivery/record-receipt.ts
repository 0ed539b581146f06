/**
 * A provider's delivery receipt, recorded: GOV.UK Notify's callback, or an SES or End User
 * Messaging SMS event. Read, decide, do:
 *
 * 1. Read: the send its reference names (`parseSendId`), its claim and earlier receipts — one
 *    read.
 * 2. Decide (`decideReceipt`, pure): unknown, settle, duplicate or late.
 * 3. Do: settle the channel with its audit line in one conditional write (another receipt
 *    settling it first: read and decide again), or write a late receipt's line; then ask the
 *    fire path to follow up a person not told.
 *
 * Input: a receipt in our terms (`Receipt`). Output: what it came to, for the answer and logs.
 */
import { parseSendId, type Receipt } from '#kernel/reminders/delivery.js';
import type { ReceiptDeps } from './ports.js';
import { decideReceipt } from './receipt-decision.js';

export type ReceiptOutcome = 'recorded' | 'duplicate' | 'late' | 'unknown';

export async function recordReceipt(receipt: Receipt, deps: ReceiptDeps): Promise<ReceiptOutcome> {
  const key = parseSendId(receipt.sendId);
  for (let attempt = 1; attempt <= 2; attempt++) {
    const found = key === undefined ? undefined : await deps.store.read(key);
    const decision = decideReceipt(key, found, receipt);
    switch (decision.kind) {
      case 'unknown':
        deps.log?.warn('delivery receipt for no send of ours', {
          provider: receipt.provider,
          reason: decision.reason,
          metric: 'ReceiptUnknown',
        });
        deps.metrics?.count('ReceiptUnknown');
        return 'unknown';
      case 'late':
        await deps.store.note(decision.line, decision.caseVersion, receipt);
        deps.log?.info('delivery receipt after the send was settled', {
          ...ids(decision.line),
          state: receipt.state,
        });
        return 'late';
      case 'duplicate':
        if (decision.followUp !== undefined) await deps.followUps.undelivered(decision.followUp);
        return 'duplicate';
      case 'settle': {
        if (key === undefined) return 'unknown';
        if (!(await deps.store.settle(key, receipt, decision.line, decision.caseVersion))) continue;
        deps.settled?.(receipt);
        const failed = decision.followUp !== undefined;
        deps.metrics?.count(failed ? 'Undelivered' : 'Delivered');
        (failed ? deps.log?.warn : deps.log?.info)?.call(deps.log, 'delivery receipt', {
          ...ids(decision.line),
          state: receipt.state,
          provider: receipt.provider,
          ...(failed ? { metric: 'Undelivered' } : {}),
        });
        if (decision.followUp !== undefined) await deps.followUps.undelivered(decision.followUp);
        return 'recorded';
      }
    }
  }
  return 'duplicate';
}

/** Ids only for the logs: never the address or number. */
function ids(line: { caseId: string; detail: Record<string, unknown> }) {
  return {
    caseId: line.caseId,
    reminderId: line.detail.reminderId,
    personId: line.detail.personId,
    channel: line.detail.channel,
  };
}
