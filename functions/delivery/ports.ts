/**
 * What recording a delivery receipt needs: the send it is about (its claim, and what earlier
 * receipts said of each channel), one write that settles a channel with its audit line, and
 * the fire path, asked to follow up a person not told.
 */
import type { Clock, Log, Metrics } from '#kernel/ports.js';
import type { ChannelName, ReminderAuditEntry } from '#kernel/records.js';
import type { FinalState, Receipt, SendKey } from '#kernel/reminders/delivery.js';

/** A send as the store holds it: its claim and its channels' receipts. */
export interface SendRecord {
  claim?: {
    state: string;
    /** The case version the firing read (its audit lines sort after it). */
    caseVersion?: number | undefined;
  };
  deliveries: Partial<Record<ChannelName, { state: FinalState; at: string }>>;
}

export interface ReceiptStore {
  /** The send's claim and receipts: ONE read (a Query of its claim's partition). */
  read(key: SendKey): Promise<SendRecord>;
  /**
   * ONE conditional write: the first receipt of a channel settles it, with its audit line.
   * False when another receipt settled it first (read again).
   */
  settle(
    key: SendKey,
    receipt: Receipt,
    line: ReminderAuditEntry,
    caseVersion: number,
  ): Promise<boolean>;
  /** A receipt that changes nothing: its audit line only (the same receipt again, the same line). */
  note(line: ReminderAuditEntry, caseVersion: number, receipt: Receipt): Promise<void>;
}

/** A person not told, for the fire path to follow up (its `undelivered` kind). */
export interface FollowUp {
  kind: 'undelivered';
  caseId: string;
  reminderId: string;
  personId: string;
}

export interface FollowUps {
  /** Asks the fire path to follow up at once (AWS: the reminders function, invoked asynchronously). */
  undelivered(followUp: FollowUp): Promise<unknown>;
}

export interface ReceiptDeps {
  store: ReceiptStore;
  followUps: FollowUps;
  clock: Clock;
  log?: Log | undefined;
  metrics?: Metrics | undefined;
  /** Told each settled receipt (local mode's outbox shows it). @default none */
  settled?: ((receipt: Receipt) => void) | undefined;
}
