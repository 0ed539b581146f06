/**
 * In-memory fakes of the reminder ports (channels, send claims, digests, audit) and the
 * reminder tests' fixtures: synthetic case refs, obviously fake people.
 */

import { carryOut } from '#functions/fire/carry-out.js';
import type {
  AlertSettings,
  Channel,
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
import type { Alert, AlertAck, ClockAlerts } from '#kernel/alert-state.js';
import { BUILDING_BRIDGES_HOURS, createCalendar } from '#kernel/calendar/index.js';
import { AlertConflictError } from '#kernel/errors.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import type { AwayPeriod, Person, RotaShift } from '#kernel/people.js';
import type {
  AlertQueryInput,
  AlertStore,
  CaseStore,
  DigestStore,
  ReminderAudit,
} from '#kernel/ports.js';
import type {
  DigestEntry,
  ReminderAuditEntry,
  StoredCase,
  UnroutedReminder,
} from '#kernel/records.js';
import { emptyClockAlerts } from '#kernel/reminders/alerts.js';
import { MemoryDirectory } from './memory-store.js';

export const calendar = createCalendar({
  division: 'england-and-wales',
  teamHours: { 'building-bridges': BUILDING_BRIDGES_HOURS },
});

export const at = (iso: string) => new Date(iso);

export const people: Person[] = [
  person('P-0001', 'Worker One', 'worker.one@example.gov.uk', {
    team: 'north',
    managerId: 'P-0002',
  }),
  person('P-0002', 'Manager One', 'manager.one@example.gov.uk', {
    phone: '+447700900002',
    team: 'north',
    managerId: 'P-0003',
  }),
  person('P-0003', 'Head One', 'head.one@example.gov.uk', { team: 'north' }),
  person('P-0004', 'Lado One', 'lado.one@example.gov.uk', { phone: '+447700900004', team: 'lado' }),
  person('P-0005', 'Edt Manager One', 'edt.manager.one@example.gov.uk', {
    phone: '+447700900005',
    team: 'edt',
  }),
  person('P-0006', 'Bb Worker One', 'bb.worker.one@example.gov.uk', {
    team: 'building-bridges',
    managerId: 'P-0002',
  }),
  person('P-0007', 'Delegate One', 'delegate.one@example.gov.uk', { team: 'north' }),
];

function person(
  personId: string,
  name: string,
  email: string,
  more: Partial<Pick<Person, 'phone' | 'team' | 'managerId'>>,
): Person {
  return { personId, name, email, ...more, updatedAt: '2026-01-01T00:00:00.000Z' };
}

/** The test directory: `people`, with the away periods and rota shifts given. */
export function directoryOf(
  away: readonly AwayPeriod[] = [],
  rota: readonly RotaShift[] = [],
  persons: readonly Person[] = people,
): MemoryDirectory {
  return MemoryDirectory.of(persons, away, rota);
}

/** A channel that records what it is given; `latencyMs` lets concurrent firings really overlap. */
export class RecordingChannel implements Channel {
  readonly sent: OutboundMessage[] = [];
  constructor(
    readonly name: 'email' | 'sms',
    private readonly latencyMs = 0,
  ) {}
  async send(message: OutboundMessage) {
    if (this.latencyMs > 0) await new Promise((done) => setTimeout(done, this.latencyMs));
    this.sent.push(message);
    return { messageId: `${this.name}-${this.sent.length}` };
  }
}

/** Send claims in memory, with the adapter's conditions (a live lease holds; finished is final). */
export class MemoryClaims {
  readonly items = new Map<string, { state: string; token: string; leaseUntil: number }>();
  private n = 0;
  private id(key: ClaimKey) {
    return `${key.caseId}|${key.reminderId}|${key.personId}`;
  }
  /** The conditional write, synchronous (so the firing store's claim and guard are one step). */
  claim(key: ClaimKey, now: Date, leaseMs: number): ClaimResult {
    const item = this.items.get(this.id(key));
    if (item?.state === 'sent') return { outcome: 'sent' };
    if (item?.state === 'failed') return { outcome: 'failed' };
    if (item !== undefined && item.leaseUntil >= now.getTime()) return { outcome: 'in-flight' };
    const token = `t${++this.n}`;
    this.items.set(this.id(key), { state: 'claimed', token, leaseUntil: now.getTime() + leaseMs });
    return { outcome: 'acquired', token, takeover: item !== undefined };
  }
  finish(key: ClaimKey, token: string, outcomes: readonly ChannelOutcome[]) {
    const state = outcomes.some((o) => o.state === 'sent') ? 'sent' : 'failed';
    this.items.set(this.id(key), { state, token, leaseUntil: 0 });
  }
}

export class MemoryDigests implements DigestStore {
  readonly entries: DigestEntry[] = [];
  /** What the firing store's record writes (a re-fire overwrites its entry). */
  async add(entry: DigestEntry) {
    const i = this.entries.findIndex(
      (e) =>
        e.team === entry.team &&
        e.date === entry.date &&
        e.caseId === entry.caseId &&
        e.reminderId === entry.reminderId,
    );
    if (i >= 0) this.entries[i] = entry;
    else this.entries.push(entry);
  }
  async list(team: string, date: string) {
    return this.entries.filter((e) => e.team === team && e.date === date);
  }
}

export class MemoryAudit implements ReminderAudit {
  readonly entries: ReminderAuditEntry[] = [];
  /** The unrouted records written with the lines (a re-fire of one reminder rewrites it). */
  readonly unrouted = new Map<string, UnroutedReminder>();
  constructor(readonly digests = new MemoryDigests()) {}
  async append(entries: ReminderAuditEntry[], _version: number, unrouted?: UnroutedReminder) {
    this.entries.push(...entries);
    if (unrouted !== undefined)
      this.unrouted.set(`${unrouted.caseId}|${unrouted.reminderId}`, unrouted);
  }
}

export const noSleep = { sleep: async () => {}, random: () => 0.5 };

/** A deadline with test defaults (an open, routine clock of case C-1001, team north). */
export function deadline(
  overrides: Partial<Deadline> & Pick<Deadline, 'rule' | 'startedAt' | 'dueAt'>,
): Deadline {
  return {
    id: `${overrides.rule}.1`,
    caseId: 'C-1001',
    status: 'open',
    team: 'north',
    version: 1,
    urgent: false,
    safeguarding: false,
    ruleVersion: 'test',
    calendarVersion: 'test',
    explain: [],
    ...overrides,
  };
}

/** A case with test defaults (open, team north, no workers or deadlines). */
export function caseAggregate(overrides: Partial<CaseAggregate> = {}): CaseAggregate {
  return {
    caseId: 'C-1001',
    status: 'open',
    team: 'north',
    riskLevel: 'standard',
    jointWithMentalHealth: false,
    workers: [],
    lastSupervision: {},
    openedAt: new Date('2026-01-05T09:00:00Z'),
    version: 1,
    deadlines: [],
    ...overrides,
  };
}

/**
 * Alerts and clock alert states in memory, with the adapter's conditions: a clock write
 * expects the revision read (else `AlertConflictError`), a new alert id must be free.
 */
export class MemoryAlertStore implements AlertStore {
  readonly alerts = new Map<string, Alert>();
  readonly clocks = new Map<string, ClockAlerts>();
  /** Runs before each write (a test's concurrent change). */
  beforeWrite?: () => void;

  private key(caseId: string, deadlineId: string) {
    return `${caseId}|${deadlineId}`;
  }
  async getAlert(alertId: string) {
    const found = this.alerts.get(alertId);
    return found === undefined ? undefined : structuredClone(found);
  }
  async getClock(caseId: string, deadlineId: string) {
    const found = this.clocks.get(this.key(caseId, deadlineId));
    return found === undefined ? emptyClockAlerts(caseId, deadlineId) : structuredClone(found);
  }
  private check(before: ClockAlerts) {
    this.beforeWrite?.();
    const current = this.clocks.get(this.key(before.caseId, before.deadlineId));
    if ((current?.revision ?? 0) !== before.revision)
      throw new AlertConflictError(this.key(before.caseId, before.deadlineId));
  }
  private put(before: ClockAlerts, after: ClockAlerts) {
    this.clocks.set(
      this.key(after.caseId, after.deadlineId),
      structuredClone({ ...after, revision: before.revision + 1 }),
    );
  }
  /** Whether `before` is still the clock's state and `alert`'s id is free (a guard holds). */
  holds(before: ClockAlerts, alert?: Alert): boolean {
    const current = this.clocks.get(this.key(before.caseId, before.deadlineId));
    return (
      (current?.revision ?? 0) === before.revision &&
      (alert === undefined || !this.alerts.has(alert.alertId))
    );
  }
  /** Writes a guard that holds. */
  apply(before: ClockAlerts, after: ClockAlerts, alert?: Alert): void {
    if (alert !== undefined) this.alerts.set(alert.alertId, structuredClone(alert));
    this.put(before, after);
  }
  /** A clock's state as stored, if it has one. */
  stored(caseId: string, deadlineId: string): ClockAlerts | undefined {
    const found = this.clocks.get(this.key(caseId, deadlineId));
    return found === undefined ? undefined : structuredClone(found);
  }
  async recordAlert(alert: Alert, before: ClockAlerts, after: ClockAlerts) {
    this.check(before);
    if (this.alerts.has(alert.alertId)) throw new AlertConflictError(alert.alertId);
    this.alerts.set(alert.alertId, structuredClone(alert));
    this.put(before, after);
  }
  async saveClock(before: ClockAlerts, after: ClockAlerts) {
    this.check(before);
    this.put(before, after);
  }
  async acknowledge(
    before: ClockAlerts,
    after: ClockAlerts,
    alertIds: readonly string[],
    ack: AlertAck,
  ) {
    this.check(before);
    this.put(before, after);
    for (const id of alertIds) {
      const alert = this.alerts.get(id);
      if (alert !== undefined)
        this.alerts.set(id, { ...alert, status: 'acknowledged', ack: structuredClone(ack) });
    }
  }
  async listAlerts(query: AlertQueryInput) {
    const all = [...this.alerts.values()]
      .filter((a) => a.status === query.status)
      .sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime() || (a.alertId < b.alertId ? 1 : -1));
    const start = query.cursor === undefined ? 0 : Number(query.cursor);
    const page = all.slice(start, start + query.limit).map((a) => structuredClone(a));
    const next = start + query.limit;
    return next < all.length ? { alerts: page, nextCursor: String(next) } : { alerts: page };
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
    for (const [i, { entries, caseVersion }] of record.audit.entries())
      await this.audit.append(entries, caseVersion, i === 0 ? record.unrouted : undefined);
    if (record.audit.length === 0 && record.unrouted !== undefined)
      await this.audit.append([], 0, record.unrouted);
    if (record.digest !== undefined) await this.audit.digests.add(record.digest);
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
  const scheduler = { schedule: async () => {}, cancel: async () => {} };
  const carried = await carryOut(
    { sends: [{ key, messages }], timers: [], record: () => ({ audit: [] }) },
    { ...deps, scheduler },
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
