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
import type { CaseAggregate } from '#kernel/model.js';
import type { StoredCase } from '#kernel/records.js';

/** Cases kept, and the most text kept with them (~16 MB), oldest evicted first. */
const MAX_CASES = 1_000;
const MAX_CHARS = 8_000_000;

export class DecodedCases {
  private readonly byCase = new Map<string, { text: string; aggregate: CaseAggregate }>();
  private chars = 0;

  /** The aggregate of a case as read: the one kept when its text is the text read. */
  aggregateOf(stored: StoredCase): CaseAggregate {
    const kept = this.byCase.get(stored.caseId);
    return kept !== undefined && kept.text === stored.serialized
      ? kept.aggregate
      : stored.aggregate;
  }

  /** Keeps what a commit wrote for the case. */
  committed(caseId: string, text: string, aggregate: CaseAggregate): void {
    this.forget(caseId);
    if (text.length > MAX_CHARS) return;
    for (const oldest of this.byCase.keys()) {
      if (this.byCase.size < MAX_CASES && this.chars + text.length <= MAX_CHARS) break;
      this.forget(oldest);
    }
    this.byCase.set(caseId, { text, aggregate });
    this.chars += text.length;
  }

  private forget(caseId: string): void {
    const kept = this.byCase.get(caseId);
    if (kept === undefined) return;
    this.chars -= kept.text.length;
    this.byCase.delete(caseId);
  }
}
