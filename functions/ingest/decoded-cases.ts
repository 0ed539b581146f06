/**
 * The aggregates this container last committed, by case, with their exact text. A sender's
 * events on one case come in runs, and the text an event commits is the text the next event on
 * the case reads: when they are equal, that event takes the aggregate it already has instead of
 * parsing the text again (parsing and reviving a case's instants was a tenth of an event's
 * cost). Anything else — a text another container or the fire path wrote, a case evicted —
 * misses, and the store's own decoding is used.
 *
 * The aggregate kept is the engine's result as committed, shared with the next event's reads:
 * the use case only reads a case it loaded, and the engine copies the aggregate it is given
 * before changing it. (Freezing it instead cost more than the parse saved: V8's frozen objects
 * took slower paths through the engine.) A test holds the store the same with and without.
 */
import { CaseTextMemo } from '#kernel/case-text-memo.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { StoredCase } from '#kernel/records.js';

export class DecodedCases {
  private readonly kept = new CaseTextMemo<CaseAggregate>();

  /** The aggregate of a case as read: the one kept when its text is the text read. */
  aggregateOf(stored: StoredCase): CaseAggregate {
    return this.kept.get(stored.caseId, stored.serialized) ?? stored.aggregate;
  }

  /** Keeps what a commit wrote for the case. */
  committed(caseId: string, text: string, aggregate: CaseAggregate): void {
    this.kept.set(caseId, text, aggregate);
  }
}
