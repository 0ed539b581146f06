/** Fakes and fixtures for the reminder tests: synthetic case refs, obviously fake people. */
import { BUILDING_BRIDGES_HOURS, createCalendar } from '#calendar/index.js';
import type {
  Channel,
  ChannelOutcome,
  ClaimKey,
  ClaimResult,
  DigestEntry,
  DigestStore,
  OutboundMessage,
  ReminderAudit,
  ReminderAuditEntry,
  SendClaims,
} from '#domain/reminders/ports.js';
import type { Directory, Person } from '#domain/reminders/routing.js';
import type { ReminderDeadline } from '#domain/reminders/types.js';

export const calendar = createCalendar({
  division: 'england-and-wales',
  teamHours: { 'building-bridges': BUILDING_BRIDGES_HOURS },
});

export const at = (iso: string) => new Date(iso);

export const people: Person[] = [
  { personId: 'P-0001', email: 'worker.one@example.gov.uk', team: 'north', managerId: 'P-0002' },
  {
    personId: 'P-0002',
    email: 'manager.one@example.gov.uk',
    phone: '+447700900002',
    team: 'north',
    managerId: 'P-0003',
  },
  { personId: 'P-0003', email: 'head.one@example.gov.uk', team: 'north' },
  { personId: 'P-0004', email: 'lado.one@example.gov.uk', phone: '+447700900004', team: 'lado' },
  {
    personId: 'P-0005',
    email: 'edt.manager.one@example.gov.uk',
    phone: '+447700900005',
    team: 'edt',
  },
  {
    personId: 'P-0006',
    email: 'bb.worker.one@example.gov.uk',
    team: 'building-bridges',
    managerId: 'P-0002',
  },
  { personId: 'P-0007', email: 'delegate.one@example.gov.uk', team: 'north' },
];

export interface Away {
  personId: string;
  from: string;
  to: string;
  delegateId: string;
}
export interface Shift {
  personId: string;
  from: string;
  to: string;
}

export class FakeDirectory implements Directory {
  constructor(
    readonly persons: Person[] = people,
    readonly away: Away[] = [],
    readonly rota: Shift[] = [],
  ) {}
  async getPerson(personId: string) {
    return this.persons.find((p) => p.personId === personId);
  }
  async awayAt(personId: string, when: Date) {
    const t = when.toISOString();
    return this.away.find((a) => a.personId === personId && a.from <= t && t < a.to)?.delegateId;
  }
  async onCallAt(when: Date) {
    const t = when.toISOString();
    return this.rota.find((s) => s.from <= t && t < s.to)?.personId;
  }
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

export class MemoryClaims implements SendClaims {
  readonly items = new Map<string, { state: string; token: string; leaseUntil: number }>();
  private n = 0;
  private id(key: ClaimKey) {
    return `${key.caseId}|${key.reminderId}|${key.personId}`;
  }
  async claim(key: ClaimKey, now: Date, leaseMs: number): Promise<ClaimResult> {
    const item = this.items.get(this.id(key));
    if (item?.state === 'sent') return { outcome: 'sent' };
    if (item?.state === 'failed') return { outcome: 'failed' };
    if (item !== undefined && item.leaseUntil >= now.getTime()) return { outcome: 'in-flight' };
    const token = `t${++this.n}`;
    this.items.set(this.id(key), { state: 'claimed', token, leaseUntil: now.getTime() + leaseMs });
    return { outcome: 'acquired', token, takeover: item !== undefined };
  }
  async finish(key: ClaimKey, token: string, _now: Date, outcomes: ChannelOutcome[]) {
    const state = outcomes.some((o) => o.state === 'sent') ? 'sent' : 'failed';
    this.items.set(this.id(key), { state, token, leaseUntil: 0 });
  }
}

export class MemoryDigests implements DigestStore {
  readonly entries: DigestEntry[] = [];
  /** What `MemoryAudit.appendWithDigest` writes through (a re-fire overwrites its entry). */
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
  constructor(private readonly digests = new MemoryDigests()) {}
  async append(entries: ReminderAuditEntry[]) {
    this.entries.push(...entries);
  }
  async appendWithDigest(entries: ReminderAuditEntry[], _version: number, digest: DigestEntry) {
    this.entries.push(...entries);
    await this.digests.add(digest);
  }
}

export const noSleep = { sleep: async () => {}, random: () => 0.5 };

export function deadline(
  overrides: Partial<ReminderDeadline> & Pick<ReminderDeadline, 'rule' | 'startedAt' | 'dueAt'>,
): ReminderDeadline {
  return {
    id: `${overrides.rule}.1`,
    caseId: 'C-1001',
    status: 'open',
    team: 'north',
    version: 1,
    ...overrides,
  };
}
