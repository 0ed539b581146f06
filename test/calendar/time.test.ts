import { describe, expect, it } from 'vitest';
import {
  formatLocal,
  InvalidInstantError,
  localDate,
  parseInstant,
} from '#kernel/calendar/index.js';
import { localToUtc, offsetAt } from '#kernel/calendar/london.js';

const intl = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  timeZoneName: 'shortOffset',
});
const intlOffsetHours = (ms: number): number => {
  const name = intl.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? '';
  return name === 'GMT' ? 0 : Number(name.replace('GMT', ''));
};

describe('Europe/London offsets', () => {
  it('agree with Intl (tzdata) every hour of 2026 and around every clock change 1996–2199', () => {
    // Prepare
    const instants: number[] = [];
    for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 3_600_000) instants.push(t);
    for (let y = 1996; y <= 2199; y++) {
      for (const month of [2, 9]) {
        for (let day = 24; day <= 31; day++) {
          for (const minute of [59, 60, 61]) instants.push(Date.UTC(y, month, day, 0, minute));
        }
      }
    }

    // Act
    const mismatches = instants.filter((t) => offsetAt(t) !== intlOffsetHours(t) * 3_600_000);

    // Assess
    expect(mismatches.map((t) => new Date(t).toISOString())).toEqual([]);
  });

  it('uses Intl outside the fast years, e.g. British Standard Time in 1970', () => {
    // Prepare
    const winter1970 = Date.UTC(1970, 0, 15, 12);

    // Act
    const offset = offsetAt(winter1970);

    // Assess
    expect(offset).toBe(3_600_000);
  });

  it('maps a skipped local time forward and a repeated one to its first occurrence', () => {
    // Prepare
    const local = (text: string): number => Date.parse(`${text}Z`);

    // Act
    const skipped = localToUtc(local('2026-03-29T01:30:00'));
    const repeated = localToUtc(local('2026-10-25T01:30:00'));

    // Assess
    expect(formatLocal(new Date(skipped))).toBe('2026-03-29T02:30:00+01:00');
    expect(formatLocal(new Date(repeated))).toBe('2026-10-25T01:30:00+01:00');
  });
});

describe('parseInstant', () => {
  const good: [string, string][] = [
    ['2026-03-27T15:00:00Z', '2026-03-27T15:00:00.000Z'],
    ['2026-03-30T17:00:00+01:00', '2026-03-30T16:00:00.000Z'],
    ['2026-03-30T17:00+01:00', '2026-03-30T16:00:00.000Z'],
    ['2024-02-29T23:59:59.999-05:30', '2024-03-01T05:29:59.999Z'],
    ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
  ];
  for (const [text, iso] of good) {
    it(`reads ${text}`, () => {
      // Act
      const parsed = parseInstant(text);

      // Assess
      expect(parsed.toISOString()).toBe(iso);
    });
  }

  const bad = [
    '2026-02-30T10:00:00Z',
    '2026-02-29T10:00:00Z',
    '2026-04-31T10:00:00Z',
    '2026-13-01T10:00:00Z',
    '2026-03-27T24:00:00Z',
    '2026-03-27T10:60:00Z',
    '2026-03-27T10:00:60Z',
    '2026-03-27T10:00:00',
    '2026-03-27',
    '2026-03-27 10:00:00Z',
    '2026-03-27T10:00:00+0100',
    '2026-03-27T10:00:00+24:00',
    'yesterday',
  ];
  for (const text of bad) {
    it(`refuses ${text}`, () => {
      // Act
      const attempt = () => parseInstant(text);

      // Assess
      expect(attempt).toThrow(InvalidInstantError);
    });
  }
});

describe('formatLocal and localDate', () => {
  it('give Europe/London wall time with its offset', () => {
    // Prepare
    const summerEvening = new Date('2026-03-30T16:00:00Z');
    const lateWinter = new Date('2026-12-31T23:30:00Z');
    const lateSummer = new Date('2026-06-30T23:30:00Z');

    // Act
    const texts = [formatLocal(summerEvening), formatLocal(lateWinter), localDate(lateSummer)];

    // Assess
    expect(texts).toEqual(['2026-03-30T17:00:00+01:00', '2026-12-31T23:30:00+00:00', '2026-07-01']);
  });
});
