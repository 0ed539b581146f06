/**
 * Worked examples, each checked by hand against docs/domain.md "Exact semantics" and a wall
 * calendar; 9:00–17:00 office hours unless a team is named.
 */
import { describe, expect, it } from 'vitest';
import {
  addHours,
  addWorkingDays,
  addWorkingHours,
  type Division,
} from '#kernel/calendar/index.js';
import { at, cal, local } from './helpers.js';

const HOUR = 3_600_000;

describe('docs/domain.md examples', () => {
  it('Friday 15:00 + 24 working hours is Wednesday 15:00', () => {
    // Prepare
    const friday = at('2026-01-16T15:00:00Z');

    // Act
    const { due, explain } = addWorkingHours(cal(), friday, 24);

    // Assess
    expect(local(due)).toBe('2026-01-21T15:00:00+00:00');
    expect(explain).toContain('Skipped the weekend of Saturday 17 and Sunday 18 January 2026.');
  });

  it('Thursday 10:00 + 2 working days is Monday 17:00', () => {
    // Prepare
    const thursday = at('2026-01-15T10:00:00Z');

    // Act
    const { due } = addWorkingDays(cal(), thursday, 2);

    // Assess
    expect(local(due)).toBe('2026-01-19T17:00:00+00:00');
  });

  it('Saturday + 2 working days is Tuesday 17:00', () => {
    // Prepare
    const saturday = at('2026-01-17T11:00:00Z');

    // Act
    const { due } = addWorkingDays(cal(), saturday, 2);

    // Assess
    expect(local(due)).toBe('2026-01-20T17:00:00+00:00');
  });

  it('a working-hours clock raised out of hours starts at the next opening', () => {
    // Prepare
    const sundayNight = at('2026-01-18T22:00:00Z');

    // Act
    const { due, explain } = addWorkingHours(cal(), sundayNight, 24);

    // Assess
    expect(local(due)).toBe('2026-01-21T17:00:00+00:00');
    expect(explain[1]).toBe(
      'That is outside working hours, so the clock started at the next opening, Monday 19 January 2026, 09:00 (GMT).',
    );
  });
});

describe('clock changes of 2026', () => {
  it('24 hours across 29 March is 24 elapsed hours, so 13:00 BST after 12:00 GMT', () => {
    // Prepare
    const saturday = at('2026-03-28T12:00:00Z');

    // Act
    const { due, explain } = addHours(cal(), saturday, 24);

    // Assess
    expect(local(due)).toBe('2026-03-29T13:00:00+01:00');
    expect(due.getTime() - saturday.getTime()).toBe(24 * HOUR);
    expect(explain.join(' ')).toContain('start of British Summer Time');
  });

  it('24 hours across 25 October is 11:00 GMT after 12:00 BST', () => {
    // Prepare
    const saturday = at('2026-10-24T12:00:00+01:00');

    // Act
    const { due, explain } = addHours(cal(), saturday, 24);

    // Assess
    expect(local(due)).toBe('2026-10-25T11:00:00+00:00');
    expect(explain.join(' ')).toContain('end of British Summer Time');
  });

  it('working hours keep local office times across both changes', () => {
    // Prepare
    const march = at('2026-03-27T15:00:00Z');
    const october = at('2026-10-23T15:00:00+01:00');

    // Act
    const spring = addWorkingHours(cal(), march, 24);
    const autumn = addWorkingHours(cal(), october, 24);

    // Assess
    expect(local(spring.due)).toBe('2026-04-01T15:00:00+01:00');
    expect(local(autumn.due)).toBe('2026-10-28T15:00:00+00:00');
    expect(spring.explain.join(' ')).toContain(
      'clocks went forward from 01:00 to 02:00 on Sunday 29 March 2026',
    );
    expect(autumn.explain.join(' ')).toContain(
      'clocks went back from 02:00 to 01:00 on Sunday 25 October 2026',
    );
  });

  it('working days end at 17:00 local on either side of the change', () => {
    // Prepare
    const before = at('2026-10-22T10:00:00+01:00');

    // Act
    const { due } = addWorkingDays(cal(), before, 2);

    // Assess
    expect(local(due)).toBe('2026-10-26T17:00:00+00:00');
    expect(due.toISOString()).toBe('2026-10-26T17:00:00.000Z');
  });
});

describe('bank holidays in arithmetic', () => {
  it('Easter 2026 skips Good Friday and Easter Monday in England, only Good Friday in Scotland', () => {
    // Prepare
    const thursday = at('2026-04-02T10:00:00+01:00');

    // Act
    const england = addWorkingDays(cal('england-and-wales'), thursday, 1);
    const scotland = addWorkingDays(cal('scotland'), thursday, 1);

    // Assess
    expect(local(england.due)).toBe('2026-04-07T17:00:00+01:00');
    expect(local(scotland.due)).toBe('2026-04-06T17:00:00+01:00');
    expect(england.explain).toEqual([
      'Counted 1 working day after Thursday 2 April 2026, the day it started.',
      'Skipped Friday 3 April 2026: Good Friday, a bank holiday in England and Wales.',
      'Skipped the weekend of Saturday 4 and Sunday 5 April 2026.',
      'Skipped Monday 6 April 2026: Easter Monday, a bank holiday in England and Wales.',
      'Due at close of business on Tuesday 7 April 2026, 17:00 (BST): the working target reminders are planned around.',
      'Limit: the end of Tuesday 7 April 2026; met by then is on time.',
    ]);
    // The limit is the London midnight that ends the target's date (BST: 23:00 UTC).
    expect(england.limit.toISOString()).toBe('2026-04-07T23:00:00.000Z');
  });

  const christmas: [string, number, string, string][] = [
    // 25–26 Dec 2021 a weekend: substitutes Mon 27 and Tue 28.
    ['2021-12-23T10:00:00Z', 2, '2021-12-29T17:00:00+00:00', 'Christmas Day (substitute day)'],
    // 25 Dec 2022 a Sunday: Boxing Day Mon 26, Christmas substitute Tue 27.
    ['2022-12-23T10:00:00Z', 1, '2022-12-28T17:00:00+00:00', 'Christmas Day (substitute day)'],
    // 26 Dec 2026 a Saturday: Boxing Day substitute Mon 28.
    ['2026-12-24T10:00:00Z', 1, '2026-12-29T17:00:00+00:00', 'Boxing Day (substitute day)'],
    // 25–26 Dec 2027 a weekend, like 2021.
    ['2027-12-23T10:00:00Z', 2, '2027-12-29T17:00:00+00:00', 'Boxing Day (substitute day)'],
  ];
  for (const [from, n, expected, named] of christmas) {
    it(`Christmas: ${from} + ${n} working days is ${expected}`, () => {
      // Prepare
      const start = at(from);

      // Act
      const { due, explain } = addWorkingDays(cal(), start, n);

      // Assess
      expect(local(due)).toBe(expected);
      expect(explain.join(' ')).toContain(named);
    });
  }

  it('New Year 2022: England substitutes Monday 3rd, Scotland also Tuesday 4th', () => {
    // Prepare
    const friday = at('2021-12-31T10:00:00Z');

    // Act
    const england = addWorkingDays(cal('england-and-wales'), friday, 1);
    const scotland = addWorkingDays(cal('scotland'), friday, 1);

    // Assess
    expect(local(england.due)).toBe('2022-01-04T17:00:00+00:00');
    expect(local(scotland.due)).toBe('2022-01-05T17:00:00+00:00');
    expect(scotland.explain).toContain(
      'Skipped Tuesday 4 January 2022: 2nd January (substitute day), a bank holiday in Scotland.',
    );
  });

  it('Scotland keeps 2 January 2026 (a Friday); England works it', () => {
    // Prepare
    const eve = at('2025-12-31T10:00:00Z');

    // Act
    const england = addWorkingDays(cal('england-and-wales'), eve, 1);
    const scotland = addWorkingDays(cal('scotland'), eve, 1);

    // Assess
    expect(local(england.due)).toBe('2026-01-02T17:00:00+00:00');
    expect(local(scotland.due)).toBe('2026-01-05T17:00:00+00:00');
  });

  it("St Andrew's Day on Sunday 30 November 2025 is observed on Monday 1 December in Scotland", () => {
    // Prepare
    const friday = at('2025-11-28T10:00:00Z');

    // Act
    const scotland = addWorkingDays(cal('scotland'), friday, 1);
    const england = addWorkingDays(cal('england-and-wales'), friday, 1);

    // Assess
    expect(local(scotland.due)).toBe('2025-12-02T17:00:00+00:00');
    expect(local(england.due)).toBe('2025-12-01T17:00:00+00:00');
    expect(cal('scotland').dayInfo('2025-12-01')).toEqual({
      workingDay: false,
      reason: 'St Andrew’s Day (substitute day), a bank holiday in Scotland',
    });
    expect(cal('scotland').isWorkingDay('2026-11-30')).toBe(false);
  });

  it("Northern Ireland: St Patrick's Day (Tuesday 17 March 2026) and the Boyne (observed Monday 13 July 2026)", () => {
    // Prepare
    const monday = at('2026-03-16T10:00:00Z');
    const friday = at('2026-07-10T10:00:00+01:00');

    // Act
    const patrick = addWorkingDays(cal('northern-ireland'), monday, 1);
    const boyne = addWorkingDays(cal('northern-ireland'), friday, 1);
    const englandBoyne = addWorkingDays(cal('england-and-wales'), friday, 1);

    // Assess
    expect(local(patrick.due)).toBe('2026-03-18T17:00:00+00:00');
    expect(local(boyne.due)).toBe('2026-07-14T17:00:00+01:00');
    expect(local(englandBoyne.due)).toBe('2026-07-13T17:00:00+01:00');
    expect(boyne.explain).toContain(
      'Skipped Monday 13 July 2026: Battle of the Boyne (Orangemen’s Day) (substitute day), a bank holiday in Northern Ireland.',
    );
  });

  const oneOffs: [Division, string, string, boolean][] = [
    ['england-and-wales', '2020-05-08', 'VE day moved the early May bank holiday', false],
    ['england-and-wales', '2020-05-04', 'the usual first Monday of May 2020 was worked', true],
    ['scotland', '2022-06-02', 'spring bank holiday moved for the Platinum Jubilee', false],
    ['northern-ireland', '2022-06-03', 'Platinum Jubilee', false],
    ['england-and-wales', '2022-05-30', 'the usual last Monday of May 2022 was worked', true],
    ['scotland', '2022-09-19', 'State Funeral', false],
    ['northern-ireland', '2023-05-08', 'Coronation', false],
  ];
  for (const [division, date, why, working] of oneOffs) {
    it(`${division} ${date}: ${why}`, () => {
      // Prepare
      const calendar = cal(division);

      // Act
      const working_ = calendar.isWorkingDay(date);

      // Assess
      expect(working_).toBe(working);
    });
  }

  it('Wednesday 1 June 2022 + 2 working days skips the Jubilee Thursday and Friday', () => {
    // Prepare
    const wednesday = at('2022-06-01T10:00:00+01:00');

    // Act
    const { due, explain } = addWorkingDays(cal(), wednesday, 2);

    // Assess
    expect(local(due)).toBe('2022-06-07T17:00:00+01:00');
    expect(explain).toContain(
      'Skipped Friday 3 June 2022: Platinum Jubilee bank holiday, a bank holiday in England and Wales.',
    );
  });

  it('a closure day is skipped like a holiday', () => {
    // Prepare
    const calendar = cal('england-and-wales', ['2026-12-24']);

    // Act
    const { due, explain } = addWorkingDays(calendar, at('2026-12-23T10:00:00Z'), 1);

    // Assess
    expect(local(due)).toBe('2026-12-29T17:00:00+00:00');
    expect(explain).toContain('Skipped Thursday 24 December 2026: an authority closure day.');
  });
});
