import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CaseAggregate } from '#kernel/model.js';
import {
  deserializeAggregate,
  iso,
  isoInstant,
  serializeAggregate,
} from '#platform/dynamodb/codec.js';
import { ev, opened, play } from '#test/domain/helpers.js';

/** Plain data as an aggregate holds it, with instants anywhere Dates can be (invalid ones too). */
const plain = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.date(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ maxLength: 6 }), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('serializeAggregate', () => {
  it('writes what JSON.stringify writes, for any plain data with instants', () => {
    fc.assert(
      fc.property(plain, (value) => {
        // Act + Assess
        expect(serializeAggregate(value as CaseAggregate)).toBe(JSON.stringify(value));
      }),
      { numRuns: 1000 },
    );
  });

  it('writes an aggregate the engine made as JSON.stringify does, and reads it back', () => {
    // Prepare: a case with open, met and stage-ladder clocks.
    const { aggregate } = play([
      opened('2026-10-22T08:00:00Z'),
      ev('lado.concern-raised', '2026-10-23T15:30:00Z', { allegationId: 'A-1' }),
      ev('disagreement.raised', '2026-10-23T10:00:00Z', { disagreementId: 'D-1' }),
      ev('lado.notified', '2026-10-23T16:00:00Z', { allegationId: 'A-1' }),
    ]);
    // Act
    const text = serializeAggregate(aggregate);
    // Assess
    expect(text).toBe(JSON.stringify(aggregate));
    expect(text).toContain('"startedAt":"2026-10-23T15:30:00.000Z"');
    expect(deserializeAggregate(text)).toEqual(aggregate);
  });

  it('keeps an own "__proto__" key as data, and leaves an object with its own toJSON to it', () => {
    // Prepare
    const withProto = JSON.parse('{"__proto__": {"at": "x"}, "a": [1]}') as CaseAggregate;
    const withToJson = { a: { toJSON: () => 'mine' }, at: new Date(Number.NaN) };
    // Act + Assess
    expect(serializeAggregate(withProto)).toBe('{"__proto__":{"at":"x"},"a":[1]}');
    expect(serializeAggregate(withToJson as unknown as CaseAggregate)).toBe(
      '{"a":"mine","at":null}',
    );
  });
});

describe('isoInstant', () => {
  it('is toISOString for every instant of the years 0000 to 9999', () => {
    fc.assert(
      fc.property(fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_999 }), (ms) => {
        expect(isoInstant(ms)).toBe(new Date(ms).toISOString());
      }),
      { numRuns: 5000 },
    );
  });

  it('writes the edges of those years, a leap day and the epoch by hand', () => {
    expect(isoInstant(-62_167_219_200_000)).toBe('0000-01-01T00:00:00.000Z');
    expect(isoInstant(253_402_300_799_999)).toBe('9999-12-31T23:59:59.999Z');
    expect(isoInstant(Date.UTC(2028, 1, 29, 23, 59, 59, 7))).toBe('2028-02-29T23:59:59.007Z');
    expect(isoInstant(-1)).toBe('1969-12-31T23:59:59.999Z');
    expect(isoInstant(0)).toBe('1970-01-01T00:00:00.000Z');
  });
});

describe('iso', () => {
  it('is toISOString for any instant, written or not before, and throws for an invalid one', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (date) => {
        expect(iso(date)).toBe(date.toISOString());
        // Twice: the second is the instant remembered
        expect(iso(new Date(date.getTime()))).toBe(date.toISOString());
      }),
      { numRuns: 2000 },
    );
    expect(() => iso(new Date(Number.NaN))).toThrow(RangeError);
  });
});
