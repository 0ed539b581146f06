/**
 * The fire path's fakes: send claims and the firing store in memory (over the reminder and
 * alert fakes the tests read), every kind's dependencies over one test's fakes, and one
 * person's messages sent once through the do step; one case's fire path set up over them.
 */
import { carryOut } from '#functions/fire/carry-out.js';
import { fireTimer } from '#functions/fire/fire-timer.js';
import type {
  AlertSettings,
  ChannelOutcome,
  Claim,
  ClaimKey,
  ClaimResult,
  DigestState,
  FireTimerDeps,
  FiringRecord,
  FiringState,
  FiringStore,
  OutboundMessage,
  ReminderDeps,
  SendDeps,
  SendResult,
} from '#functions/fire/ports.js';
import type { Alert, ClockAlerts } from '#kernel/alert-state.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import type { CaseStore } from '#kernel/ports.js';
import type { StoredCase } from '#kernel/records.js';
import { emptyClockAlerts } from '#kernel/reminders/alerts.js';
import {
  DEFAULT_REMINDER_PLANS,
  fallbackPerson,
  reminderTimerPlanner,
} from '#kernel/reminders/index.js';
import { MemoryCaseStore } from './memory-store.js';
import {
  at,
  calendar,
  directoryOf,
  type MemoryAlertStore,
  MemoryAudit,
  MemoryDigests,
  noSleep,
  RecordingChannel,
} from './reminders.js';
import { noScheduler, TimerLog } from './scheduler.js';

/** Send claims in memory, with the adapter's conditions (a live lease holds; finished is final). */
export class MemoryClaims {
  readonly items = new Map<
    string,
    { state: string; token: string; leaseUntil: number; owed?: true }
  >();
  private n = 0;
  private id(key: ClaimKey) {
    return `${key.caseId}|${key.reminderId}|${key.personId}`;
  }
  /** The conditional write, synchronous (so the firing store's claim and guard are one step). */
  claim(key: ClaimKey, now: Date, leaseMs: number): ClaimResult {
    const item = this.items.get(this.id(key));
    if (item?.state === 'sent' || item?.state === 'failed')
      return item.owed === true
        ? { outcome: item.state, followUpOwed: true }
        : { outcome: item.state };
    if (item !== undefined && item.leaseUntil >= now.getTime()) return { outcome: 'in-flight' };
    const token = `t${++this.n}`;
    this.items.set(this.id(key), { state: 'claimed', token, leaseUntil: now.getTime() + leaseMs });
    // A fake claim left open is always one whose sender stopped before recording.
    return item === undefined
      ? { outcome: 'acquired', token, takeover: false }
      : { outcome: 'acquired', token, takeover: true, unrecorded: true };
  }
  finish(key: ClaimKey, token: string, outcomes: readonly ChannelOutcome[]) {
    const state = outcomes.some((o) => o.state === 'sent') ? 'sent' : 'failed';
    const owed = outcomes.some((o) => o.state === 'failed');
    this.items.set(this.id(key), { state, token, leaseUntil: 0, ...(owed ? { owed } : {}) });
  }
  /** A finished claim's follow-up done: nothing owed any more. */
  followedUp(key: ClaimKey) {
    const item = this.items.get(this.id(key));
    if (item !== undefined) delete item.owed;
  }
}

/** The case reads the firing store makes (`MemoryCaseStore` has them). */
export interface FiringCases {
  loadCase(caseId: string): Promise<StoredCase | undefined>;
  loadCaseWithDirectoryStamp(
    caseId: string,
  ): Promise<{ stored?: StoredCase; directoryGeneration: number }>;
}

/**
 * The fire path's store in memory, over the fakes the tests read: the cases, the alert store,
 * the claims, the audit (with its digests). A claim and its guard are one synchronous step,
 * as the adapter's transaction is one write.
 */
export class MemoryFiringStore implements FiringStore {
  constructor(
    readonly parts: {
      cases: FiringCases;
      claims?: MemoryClaims;
      audit?: MemoryAudit;
      alerts?: MemoryAlertStore | undefined;
    },
    readonly claims = parts.claims ?? new MemoryClaims(),
    readonly audit = parts.audit ?? new MemoryAudit(),
  ) {}

  async read(caseId: string, deadlineId?: string): Promise<FiringState> {
    const { stored, directoryGeneration } =
      await this.parts.cases.loadCaseWithDirectoryStamp(caseId);
    return {
      ...(stored === undefined ? {} : { stored }),
      directoryGeneration,
      ...(deadlineId === undefined
        ? {}
        : {
            clock:
              this.parts.alerts?.stored(caseId, deadlineId) ?? emptyClockAlerts(caseId, deadlineId),
          }),
    };
  }

  async readDigest(
    caseIds: readonly string[],
    clocks: readonly { caseId: string; deadlineId: string }[],
  ): Promise<DigestState> {
    const cases = new Map<string, StoredCase>();
    for (const id of caseIds) {
      const stored = await this.parts.cases.loadCase(id);
      if (stored !== undefined) cases.set(id, stored);
    }
    const states = new Map<string, ClockAlerts>();
    for (const { caseId, deadlineId } of clocks) {
      const state = this.parts.alerts?.stored(caseId, deadlineId);
      if (state !== undefined) states.set(`${caseId}|${deadlineId}`, state);
    }
    return { cases, clocks: states, directoryGeneration: 0 };
  }

  async getAlerts(alertIds: readonly string[]): Promise<Map<string, Alert>> {
    const found = new Map<string, Alert>();
    for (const id of alertIds) {
      const alert = await this.parts.alerts?.getAlert(id);
      if (alert !== undefined) found.set(id, alert);
    }
    return found;
  }

  async claim(claim: Claim, now: Date, leaseMs: number): Promise<ClaimResult> {
    const { guard, key } = claim;
    const alerts = this.parts.alerts;
    if (
      guard !== undefined &&
      (alerts === undefined || !alerts.holds(guard.clock.before, guard.alert))
    )
      return { outcome: 'conflict' };
    const result: ClaimResult =
      key === undefined
        ? { outcome: 'acquired', token: 'guard', takeover: false }
        : this.claims.claim(key, now, leaseMs);
    if (result.outcome === 'acquired' && guard !== undefined)
      alerts?.apply(guard.clock.before, guard.clock.after, guard.alert);
    return result;
  }

  async record(record: FiringRecord): Promise<void> {
    for (const f of record.finished) this.claims.finish(f.key, f.token, f.outcomes);
    const unrouted = record.unrouted === undefined ? [] : [record.unrouted].flat();
    for (const [i, { entries, caseVersion }] of record.audit.entries())
      await this.audit.append(entries, caseVersion, unrouted[i]);
    for (const extra of unrouted.slice(record.audit.length)) await this.audit.append([], 0, extra);
    if (record.digest !== undefined) await this.audit.digests.add(record.digest);
  }

  async followedUp(key: ClaimKey): Promise<void> {
    this.claims.followedUp(key);
  }
}

/** One test's fakes for the fire path: every kind of timer is wired over the same ones. */
export interface FireFakes
  extends Omit<ReminderDeps, 'store' | 'alerts'>,
    Partial<Pick<FireTimerDeps['due'], 'advance' | 'planTimers'>> {
  cases: FiringCases & Pick<CaseStore, 'commitCase'>;
  claims?: MemoryClaims;
  audit?: MemoryAudit;
  /** The alerts and clock states (with `alerts`: tracked). */
  alertStore?: MemoryAlertStore;
  alerts?: AlertSettings | undefined;
}

/** The fire path's dependencies, kind by kind, over one test's fakes. */
export function fireDeps(f: FireFakes): FireTimerDeps {
  const { cases, claims, audit = new MemoryAudit(), alertStore, alerts, advance, planTimers } = f;
  const store = new MemoryFiringStore({ cases, claims, audit, alerts: alertStore });
  const sending = { ...f, store };
  return {
    log: f.log,
    metrics: f.metrics,
    due: {
      cases,
      advance: advance ?? ((aggregate) => ({ aggregate, audit: [] })),
      planTimers: planTimers ?? (() => []),
      scheduler: f.scheduler,
      audit,
      clock: f.clock,
      log: f.log,
    },
    reminder: { ...sending, alerts },
    escalation: { ...sending, alerts },
    digest: { ...sending, digests: audit.digests, alertsTracked: alerts !== undefined },
  };
}

/**
 * One person's messages sent at most once through the fire path's do step (`carryOut`): the
 * claim, each channel's send with retry, the claim finished — with no audit lines.
 */
export async function sendToPersonOnce(
  key: ClaimKey,
  messages: OutboundMessage[],
  deps: Omit<SendDeps, 'scheduler'>,
): Promise<SendResult[]> {
  const carried = await carryOut(
    { sends: [{ key, messages }], timers: [], record: () => ({ audit: [] }) },
    { ...deps, scheduler: noScheduler },
  );
  if (carried.conflict) throw new Error('a claim with no guard conflicted');
  return carried.results[0] ?? [];
}

/** One message at most once: `sendToPersonOnce` with a single channel. */
export async function sendOnce(
  key: ClaimKey,
  message: OutboundMessage,
  deps: Omit<SendDeps, 'scheduler'>,
): Promise<SendResult> {
  const [result] = await sendToPersonOnce(key, [message], deps);
  return result as SendResult;
}

/** One person's send of C-1001's LADO reminder: the do step's tests' key. */
export const LADO_SEND: ClaimKey = {
  caseId: 'C-1001',
  reminderId: 'd1.p50.abc',
  personId: 'P-0005',
};

/** `LADO_SEND`'s message by `channel`. */
export const ladoMessage = (channel: 'email' | 'sms'): OutboundMessage => ({
  channel,
  to: channel === 'email' ? 'lado@example.gov.uk' : '+447700900123',
  text: 'LADO notification due soon',
  meta: {
    caseId: LADO_SEND.caseId,
    rule: 'lado-notification',
    reminderId: LADO_SEND.reminderId,
    personId: LADO_SEND.personId,
  },
});

/** The duty inbox: the fallback contact of `fireSetup`'s authority. */
export const DUTY = fallbackPerson({ email: 'duty.inbox@example.gov.uk', phone: '+447700900099' });
/** The reminders planner over the default plans. */
export const planner = reminderTimerPlanner(DEFAULT_REMINDER_PLANS);

/** What a test may change in `fireSetup`'s fire path; anything left out keeps its default. */
export interface FireSetupOptions<C extends MemoryCaseStore = MemoryCaseStore>
  extends Partial<
    Pick<
      FireFakes,
      'directory' | 'fallback' | 'advance' | 'planTimers' | 'calendar' | 'calendarFor' | 'plans'
    >
  > {
  /** The case store to seed (one that remembers more, say); a fresh one by default. */
  cases?: C;
  /** The version the case is seeded at; 5 by default. */
  version?: number;
}

/**
 * The fire path over in-memory fakes for one case seeded at version 5, at `now`: the
 * reminders planner wired, channels and a scheduler that record, the duty inbox as the
 * fallback contact — each of which `options` may replace (`fallback: undefined`: none).
 */
export function fireSetup<C extends MemoryCaseStore = MemoryCaseStore>(
  agg: CaseAggregate,
  now: string,
  options: FireSetupOptions<C> = {},
) {
  const { cases = new MemoryCaseStore() as C, version = 5, ...overrides } = options;
  cases.seed(agg, version);
  const email = new RecordingChannel('email');
  const sms = new RecordingChannel('sms');
  const scheduler = new TimerLog();
  const { scheduled, cancelled } = scheduler;
  const digests = new MemoryDigests();
  const audit = new MemoryAudit(digests);
  const clock = {
    current: at(now),
    now() {
      return this.current;
    },
  };
  const deps: FireTimerDeps = fireDeps({
    cases,
    advance: (a) => ({ aggregate: a, audit: [] }),
    planTimers: (a) => a.deadlines.flatMap((d) => planner(d, a, { calendar })),
    scheduler,
    directory: directoryOf(),
    channels: { email, sms },
    audit,
    clock,
    calendar,
    plans: DEFAULT_REMINDER_PLANS,
    caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
    emailFrom: 'timescales@example.gov.uk',
    sendBackoff: noSleep,
    fallback: DUTY,
    ...overrides,
  });
  return { deps, cases, email, sms, scheduled, cancelled, audit, digests, clock };
}

/** Fires `step` of the deadline's plan. */
export const fireStep = (d: Deadline, step: string, deps: FireTimerDeps) =>
  fireTimer(
    { caseId: d.caseId, deadlineId: d.id, kind: 'reminder', version: d.version, step },
    deps,
  );
