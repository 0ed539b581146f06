/**
 * The directory's selection rules, pure: which away period covers an instant, who is on the
 * EDT rota at an instant. The store's uncached reads (`DynamoDirectory`) and the reminders'
 * per-process cache (`CachedDirectory`) both answer with these, so the rule exists once.
 *
 * Instants are UTC ISO-8601 strings with milliseconds (`Date#toISOString`), so string order
 * is time order; person ids are ASCII (the event schema's `Id`), so string order is the
 * store's key order too.
 */

/** Longest EDT shift `onCallAt` looks back for (a shift starting earlier is not found). */
export const MAX_SHIFT_DAYS = 31;
export const MAX_SHIFT_MS = MAX_SHIFT_DAYS * 86_400_000;

/** One away period of a person: `delegateId` stands in from `from` (inclusive) to `to` (exclusive). */
export interface AwaySpan {
  from: string;
  to: string;
  delegateId: string;
}

/**
 * One rota shift: `personId` is on call from `from` (inclusive) to `to` (exclusive), at `tier`
 * (1, the EDT manager, when absent; 2, the senior manager on call).
 */
export interface ShiftSpan {
  personId: string;
  from: string;
  to: string;
  tier?: 1 | 2 | undefined;
}

/**
 * The delegate while a person is away at `at`: of the person's periods with
 * `from ≤ at < to`, the latest-starting one's. `periods` may hold any of the person's periods.
 */
export function delegateAt(periods: readonly AwaySpan[], at: Date): string | undefined {
  const instant = at.toISOString();
  let best: AwaySpan | undefined;
  for (const p of periods) {
    if (p.from > instant || p.to <= instant) continue;
    if (best === undefined || p.from > best.from) best = p;
  }
  return best?.delegateId;
}

/**
 * Who is on call at `at` at `tier` (1, the EDT manager, by default; 2, the senior manager): of
 * that tier's shifts with `from ≤ at < to` that started at most `MAX_SHIFT_DAYS` before `at`,
 * the latest-starting one's (a swap entered later overrides); two starting at the same
 * instant: the greater person id (the store's key order, newest first). `shifts` may hold any
 * shifts, of either tier.
 */
export function onCallFrom(
  shifts: readonly ShiftSpan[],
  at: Date,
  tier: 1 | 2 = 1,
): string | undefined {
  const instant = at.toISOString();
  const earliest = new Date(at.getTime() - MAX_SHIFT_MS).toISOString();
  let best: ShiftSpan | undefined;
  for (const s of shifts) {
    if ((s.tier ?? 1) !== tier) continue;
    if (s.from < earliest || s.from > instant || s.to <= instant) continue;
    if (
      best === undefined ||
      s.from > best.from ||
      (s.from === best.from && s.personId > best.personId)
    )
      best = s;
  }
  return best?.personId;
}

/**
 * A team's manager: the person most of the team's members name as their manager; a tie goes
 * to the smaller id (string order). No member names one: undefined.
 */
export function teamManagerOf(
  members: readonly { personId: string; managerId?: string | undefined }[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const m of members) {
    if (m.managerId === undefined || m.managerId === m.personId) continue;
    counts.set(m.managerId, (counts.get(m.managerId) ?? 0) + 1);
  }
  let best: [string, number] | undefined;
  for (const [id, n] of counts) {
    if (best === undefined || n > best[1] || (n === best[1] && id < best[0])) best = [id, n];
  }
  return best?.[0];
}
