/**
 * What firing a timer needs and returns: the ports (case store, scheduler, directory,
 * channels, claims, digests, audit, clock) and the outcome, shared by the fire use case's
 * modules (`fire-timer`, `fire-digest`, `send-once`, `replace-timers`).
 */
import type { Calendar } from '#calendar/index.js';
import type { Backoff } from '#domain/reminders/backoff.js';
import type { Channel, DigestStore, ReminderAudit, SendClaims } from '#domain/reminders/ports.js';
import type { ChannelName, Directory } from '#domain/reminders/routing.js';
import type { ReminderDeadline, ReminderPlans, ReminderTimer } from '#domain/reminders/types.js';

/** The narrow view of the case store this use case needs (the store's `CaseStore` fits). */
export interface FireCaseStore<A extends FireAggregate = FireAggregate> {
  loadCase(caseId: string): Promise<{ version: number; aggregate: A } | undefined>;
  commitCase(commit: {
    caseId: string;
    expectedVersion: number;
    before: A | undefined;
    after: A;
    audit: never[] | unknown[];
    now: Date;
  }): Promise<void>;
}

/** The fields of the case aggregate this use case reads. */
export interface FireAggregate {
  caseId: string;
  status: 'open' | 'closed';
  team: string;
  workers: { personId: string; role: import('#schemas/events.js').WorkerRole }[];
  deadlines: ReminderDeadline[];
}

export interface FireLog {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/** Counters the use case emits; the handler maps them to CloudWatch metrics (namespace Timescales). */
export type FireMetricName = 'Sent' | 'SendFailed' | 'Unroutable' | 'TimerDead';

/** The metrics port: count an outcome. Pure code calls it; the adapter (Powertools EMF) flushes it. */
export interface FireMetrics {
  count(name: FireMetricName, value?: number): void;
}

export interface FireTimerDeps<A extends FireAggregate = FireAggregate> {
  cases: FireCaseStore<A>;
  /** The engine's `advance` with its context (calendar, rules, `now`) bound by the caller. */
  advance: (aggregate: A, now: Date) => { aggregate: A; audit: unknown[] };
  /** The case's full timer plan (`planTimers` with the reminder planner wired). */
  planTimers: (aggregate: A) => ReminderTimer[];
  scheduler: {
    schedule(timers: ReminderTimer[]): Promise<void>;
    cancel(names: string[]): Promise<void>;
  };
  directory: Directory;
  channels: Partial<Record<ChannelName, Channel>>;
  claims: SendClaims;
  digests: DigestStore;
  audit: ReminderAudit;
  clock: { now(): Date };
  calendar: Calendar;
  plans: ReminderPlans;
  caseUrlTemplate: string;
  /** The organiser of invitations (the SES sender). */
  emailFrom: string;
  /**
   * Names of the digest timers this process has scheduled: every overnight EDT alert of a team
   * names the same morning digest, so a burst of alerts schedules it once, not once each
   * (on AWS, CreateSchedule is rate-limited). @default none (schedule every time)
   */
  digestsScheduled?: Set<string>;
  /** How long a claim protects a send in progress. @default 120 s */
  leaseMs?: number;
  /** Retries of a failing send. @default 5 attempts, 500 ms base, 8 s cap */
  sendBackoff?: Partial<Backoff>;
  log?: FireLog;
  /** Outcome counters (`Sent`, `SendFailed`, `Unroutable`). @default none */
  metrics?: FireMetrics;
}

export type FireOutcome =
  | { status: 'ignored'; reason: string }
  | { status: 'advanced'; changed: boolean }
  | {
      status: 'reminded' | 'digest';
      sent: number;
      duplicates: number;
      deferred: number;
      failed: number;
      retryLater: boolean;
    };

export const silent: FireLog = { info: () => {}, warn: () => {}, error: () => {} };
