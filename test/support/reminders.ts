/**
 * In-memory fakes of the reminder ports (channels, digests, audit, alerts) and the reminder
 * tests' fixtures: synthetic case refs, obviously fake people. The fire path's own fakes
 * (claims, the firing store, its dependencies) are in `firing.ts`.
 */

import type { Channel, OutboundMessage } from '#functions/fire/ports.js';
import type { Alert, AlertAck, ClockAlerts } from '#kernel/alert-state.js';
import { BUILDING_BRIDGES_HOURS, createCalendar } from '#kernel/calendar/index.js';
import { AlertConflictError } from '#kernel/errors.js';
import type { CaseAggregate, Deadline } from '#kernel/model.js';
import type { AwayPeriod, Person, RotaShift } from '#kernel/people.js';
import type { AlertQueryInput, AlertStore, DigestStore, ReminderAudit } from '#kernel/ports.js';
import type { DigestEntry, ReminderAuditEntry, UnroutedReminder } from '#kernel/records.js';
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
