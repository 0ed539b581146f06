/**
 * One value per case, kept with the exact JSON text of the case it was made from, and handed
 * back only for that text: a case's text is its whole state, so a value made from it holds as
 * long as the text is the same. The next event on a case reads the text the last one wrote,
 * which is what makes keeping it worthwhile (the engine's plans, the webhook's decoded cases).
 * Bounded by cases and by the characters of text kept; the case kept longest goes first.
 */
export class CaseTextMemo<V> {
  private readonly byCase = new Map<string, { text: string; value: V }>();
  private chars = 0;

  constructor(
    private readonly maxCases = 1_000,
    /** ~16 MB of text. */
    private readonly maxChars = 8_000_000,
  ) {}

  /** The value kept for the case when it was made from exactly `text`. */
  get(caseId: string, text: string | undefined): V | undefined {
    const kept = this.byCase.get(caseId);
    return kept !== undefined && kept.text === text ? kept.value : undefined;
  }

  /** Keeps `value` for the case as made from `text` (a text too long to keep is not). */
  set(caseId: string, text: string, value: V): void {
    this.forget(caseId);
    if (text.length > this.maxChars) return;
    for (const oldest of this.byCase.keys()) {
      if (this.byCase.size < this.maxCases && this.chars + text.length <= this.maxChars) break;
      this.forget(oldest);
    }
    this.byCase.set(caseId, { text, value });
    this.chars += text.length;
  }

  private forget(caseId: string): void {
    const kept = this.byCase.get(caseId);
    if (kept === undefined) return;
    this.chars -= kept.text.length;
    this.byCase.delete(caseId);
  }
}
