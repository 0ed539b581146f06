/** Deterministic deadline ids and timer names, short enough for EventBridge Scheduler. */
import { hash16 } from '#domain/rules/hash.js';

const SAFE = /^[0-9a-zA-Z._-]+$/;
const MAX_DEADLINE_ID = 40;
const MAX_TIMER_NAME = 64;

/**
 * `rule.subject` (e.g. `lado-notification.A-1`), or `rule.x-<hash>` when the subject has
 * characters outside `[0-9a-zA-Z-_.]` or the id would pass 40 characters.
 */
export function subjectDeadlineId(rule: string, subjectId: string): string {
  const plain = `${rule}.${subjectId}`;
  if (SAFE.test(subjectId) && plain.length <= MAX_DEADLINE_ID) return plain;
  const room = Math.min(16, MAX_DEADLINE_ID - rule.length - 3);
  return `${rule}.x-${hash16(subjectId).slice(0, room)}`;
}

/** `rule.n` for the n-th clock of a recurring rule, e.g. `joint-supervision.3`. */
export function recurringDeadlineId(rule: string, sequence: number): string {
  return `${rule}.${sequence}`;
}

/**
 * A schedule name unique across cases: `<case>.<deadline>.<version>.<suffix>`, falling back
 * to a hash of the case id, then of everything, to stay within 64 characters.
 */
export function timerName(
  caseId: string,
  deadlineId: string,
  version: number,
  suffix: string,
): string {
  const tail = `${deadlineId}.${version}.${suffix}`;
  const plain = `${caseId}.${tail}`;
  if (SAFE.test(caseId) && plain.length <= MAX_TIMER_NAME) return plain;
  const hashed = `c${hash16(caseId).slice(0, 12)}.${tail}`;
  if (hashed.length <= MAX_TIMER_NAME && SAFE.test(tail)) return hashed;
  return `t${hash16(`${caseId}\u0000${tail}`)}.${version}`;
}
