/**
 * What following up an undelivered send needs: the state of a step's sends (each claim, with
 * what its channels' receipts said), read in one go with the case, the directory stamp and
 * the clock's alert state; and everything a reminder's and a digest's firing need to send to
 * the person's other channel or to the fallback contact, and to escalate an alert at once.
 */
import type { Calendar } from '#kernel/calendar/index.js';
import type { CalendarFor } from '#kernel/engine/index.js';
import type { DigestStore, Directory } from '#kernel/ports.js';
import type { ChannelName } from '#kernel/records.js';
import type { FinalState } from '#kernel/reminders/delivery.js';
import type { TimerPayload } from '#kernel/timers.js';
import type {
  AlertSettings,
  ClaimKey,
  DigestState,
  FireOutcome,
  FiringState,
  MessageSettings,
  SendContext,
  SendDeps,
} from './ports.js';

/** One claim and what became of its channels. */
export interface SendState {
  key: ClaimKey;
  claim?: {
    state: string;
    /** Recorded outcomes (absent while the claim is in flight). */
    channels: Partial<Record<ChannelName, { state: string; reason?: string }>>;
    context?: SendContext | undefined;
    claimedAt?: string | undefined;
  };
  /** What the receipts said, by channel (the first receipt settles a channel). */
  deliveries: Partial<Record<ChannelName, FinalState>>;
}

export interface SendStateStore {
  /**
   * The claims named, each with its receipts, and with `caseId` the case and the directory
   * stamp, with `deadlineId` the clock's alert state too: ONE read (a BatchGetItem).
   */
  readSends(
    claims: readonly ClaimKey[],
    caseId?: string,
    deadlineId?: string,
  ): Promise<Partial<FiringState> & { sends: SendState[] }>;
  /** A digest's cases and clocks (`FiringStore.readDigest`). */
  readDigest(
    caseIds: readonly string[],
    clocks: readonly { caseId: string; deadlineId: string }[],
  ): Promise<DigestState>;
}

/** An `undelivered` follow-up: a person not told. */
export interface UndeliveredDeps extends SendDeps, MessageSettings {
  sends: SendStateStore;
  directory: Directory;
  calendar: Calendar;
  calendarFor?: CalendarFor | undefined;
  alerts?: AlertSettings | undefined;
  digests: DigestStore;
  /** Takes an alert's escalation now (the `escalation` kind, in this process). */
  escalate: (payload: TimerPayload) => Promise<FireOutcome>;
}
