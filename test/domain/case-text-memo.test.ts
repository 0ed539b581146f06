/**
 * The per-case memo keyed by a case's exact text: a value is handed back only for the text it
 * was made from; it keeps at most so many cases and so many characters of text, forgetting the
 * case kept longest first, and never keeps a text longer than the whole allowance.
 */
import { describe, expect, it } from 'vitest';
import { CaseTextMemo } from '#kernel/case-text-memo.js';

/** What `memo` hands back for each case and text, in order. */
const lookUp = (memo: CaseTextMemo<string>, entries: [caseId: string, text: string][]) =>
  entries.map(([caseId, text]) => memo.get(caseId, text));

describe('CaseTextMemo', () => {
  it('hands a value back only for the exact text it was made from', () => {
    const memo = new CaseTextMemo<string>();
    memo.set('C-1001', '{"v":1}', 'one');
    expect(memo.get('C-1001', '{"v":1}')).toBe('one');
    expect(memo.get('C-1001', '{"v":2}')).toBeUndefined();
    expect(memo.get('C-1001', undefined)).toBeUndefined();
    expect(memo.get('C-1002', '{"v":1}')).toBeUndefined();
  });

  it('keeps at most its number of cases, forgetting the one kept longest', () => {
    const memo = new CaseTextMemo<string>(2);
    memo.set('C-1', 'a', 'first');
    memo.set('C-2', 'b', 'second');
    memo.set('C-3', 'c', 'third');
    expect(
      lookUp(memo, [
        ['C-1', 'a'],
        ['C-2', 'b'],
        ['C-3', 'c'],
      ]),
    ).toEqual([undefined, 'second', 'third']);
  });

  it('keeps at most its characters of text, forgetting as many of the oldest as it takes', () => {
    // 10 characters allowed: with 4 + 4 kept, a 6-character text makes room by forgetting
    // the oldest only (4 + 6 = 10).
    const memo = new CaseTextMemo<string>(100, 10);
    memo.set('C-1', 'aaaa', 'first');
    memo.set('C-2', 'bbbb', 'second');
    memo.set('C-3', 'cccccc', 'third');
    expect(
      lookUp(memo, [
        ['C-1', 'aaaa'],
        ['C-2', 'bbbb'],
        ['C-3', 'cccccc'],
      ]),
    ).toEqual([undefined, 'second', 'third']);
    // A text longer than the whole allowance is not kept, and what was kept stays.
    memo.set('C-4', 'x'.repeat(11), 'too long');
    expect(memo.get('C-4', 'x'.repeat(11))).toBeUndefined();
    expect(memo.get('C-3', 'cccccc')).toBe('third');
  });

  it('a case set again replaces its text and counts it once', () => {
    const memo = new CaseTextMemo<string>(100, 10);
    memo.set('C-1', 'aaaaa', 'old');
    memo.set('C-1', 'bbbbb', 'new');
    memo.set('C-2', 'ccccc', 'other');
    expect(
      lookUp(memo, [
        ['C-1', 'aaaaa'],
        ['C-1', 'bbbbb'],
        ['C-2', 'ccccc'],
      ]),
    ).toEqual([undefined, 'new', 'other']);
  });
});
