import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clonePlain } from '#kernel/engine/clone.js';

/** Plain data as a case aggregate holds it: objects, arrays, Dates, strings, numbers, booleans. */
const plain = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double({ noNaN: true }),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Every object reachable from a value (arrays, records and Dates). */
function objects(value: unknown, into = new Set<object>()): Set<object> {
  if (value === null || typeof value !== 'object') return into;
  into.add(value);
  for (const child of Object.values(value)) objects(child, into);
  return into;
}

describe('clonePlain', () => {
  it('copies plain data as structuredClone does, sharing no object with the source', () => {
    fc.assert(
      fc.property(plain, (value) => {
        // Act
        const copy = clonePlain(value);
        // Assess
        expect(copy).toStrictEqual(structuredClone(value));
        const shared = [...objects(copy)].filter((o) => objects(value).has(o));
        expect(shared).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps an own "__proto__" key as data', () => {
    // Prepare
    const source = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as object;
    // Act
    const copy = clonePlain(source);
    // Assess
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(copy).toStrictEqual(structuredClone(source));
  });

  it('leaves the source unchanged when the copy is changed', () => {
    // Prepare
    const source = {
      deadlines: [{ id: 'd1', dueAt: new Date('2026-03-02T17:00:00Z'), explain: ['a'] }],
    };
    const copy = clonePlain(source);
    // Act
    copy.deadlines[0]?.explain.push('b');
    copy.deadlines[0]?.dueAt.setUTCHours(9);
    // Assess
    expect(source.deadlines[0]?.explain).toEqual(['a']);
    expect(source.deadlines[0]?.dueAt).toEqual(new Date('2026-03-02T17:00:00Z'));
  });
});
