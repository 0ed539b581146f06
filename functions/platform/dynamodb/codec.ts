/**
 * How the case aggregate and its deadlines are written to items. The aggregate is kept as one
 * JSON string (exact round trip, no marshalling surprises); reading revives its instants.
 */
import {
  type AuditEntry,
  type CaseAggregate,
  type Deadline,
  reviveStoredAggregate,
} from '#kernel/model.js';
import type { AuditRecord, DeadlineRecord } from '#kernel/records.js';

export function serializeAggregate(aggregate: CaseAggregate): string {
  return JSON.stringify(aggregate);
}

export function deserializeAggregate(text: string): CaseAggregate {
  return reviveStoredAggregate(JSON.parse(text));
}

export function deadlinesOf(aggregate: CaseAggregate | undefined): Deadline[] {
  return aggregate === undefined ? [] : [...aggregate.deadlines];
}

export function iso(value: Date | string | undefined): string | undefined {
  if (value === undefined) return undefined;
  return value instanceof Date ? value.toISOString() : new Date(value).toISOString();
}

export function toDeadlineRecord(d: Deadline): DeadlineRecord {
  const explain = d.explain as unknown;
  return omitUndefined({
    id: d.id,
    caseId: d.caseId,
    rule: d.rule,
    status: d.status,
    dueAt: iso(d.dueAt) as string,
    startedAt: iso(d.startedAt),
    closedAt: iso(d.closedAt),
    metAt: iso(d.metAt),
    lateness: d.lateness,
    stage: d.stage,
    stageName: d.stageName,
    subjectId: d.subjectId,
    team: d.team,
    version: d.version,
    ruleVersion: d.ruleVersion === undefined ? undefined : String(d.ruleVersion),
    calendarVersion: d.calendarVersion,
    explain: Array.isArray(explain)
      ? explain.map(String)
      : explain === undefined
        ? []
        : [String(explain)],
  });
}

export function toAuditRecord(entry: AuditEntry): AuditRecord {
  return omitUndefined({
    at: iso(entry.at) as string,
    kind: entry.kind,
    eventId: entry.eventId,
    deadlineId: entry.deadlineId,
    detail: entry.detail,
  });
}

/** The object without its undefined fields (a loop: it runs for every deadline of every commit). */
export function omitUndefined<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = v;
  }
  return out as T;
}
