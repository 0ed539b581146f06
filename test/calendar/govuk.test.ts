import { describe, expect, it } from 'vitest';
import {
  addWorkingDays,
  CalendarRangeError,
  createCalendar,
  DIVISIONS,
  type GovUkFeed,
  InvalidCalendarOptionsError,
} from '#kernel/calendar/index.js';
import { at, govUkFixture, local } from './helpers.js';

const fixture = govUkFixture();

describe('bank holidays match the GOV.UK feed', () => {
  for (const division of DIVISIONS) {
    for (let year = 2018; year <= 2027; year++) {
      it(`${division} ${year}`, () => {
        // Prepare
        const calendar = createCalendar({ division });
        const expected = (fixture[division]?.events ?? [])
          .filter((e) => e.date.startsWith(`${year}-`))
          .map((e) => ({ date: e.date, name: e.title }));

        // Act
        const holidays = calendar.holidays(year);

        // Assess
        expect(expected.length).toBeGreaterThan(7);
        expect(holidays).toEqual(expected);
      });
    }
  }

  it('agrees with the fixture on every day 2018–2027, so the day table is built right', () => {
    // Prepare
    const calendars = DIVISIONS.map((d) => createCalendar({ division: d }));
    const mismatches: string[] = [];

    // Act
    for (let t = Date.UTC(2018, 0, 1); t < Date.UTC(2028, 0, 1); t += 86_400_000) {
      const date = new Date(t).toISOString().slice(0, 10);
      const weekend = new Date(t).getUTCDay() % 6 === 0;
      DIVISIONS.forEach((d, i) => {
        const holiday = fixture[d]?.events.some((e) => e.date === date) ?? false;
        if (calendars[i]?.isWorkingDay(date) !== (!weekend && !holiday))
          mismatches.push(`${d} ${date}`);
      });
    }

    // Assess
    expect(mismatches).toEqual([]);
  });
});

describe('loading a GOV.UK feed', () => {
  const with2028 = (extra: boolean): GovUkFeed => {
    const feed = govUkFixture();
    const events = feed['england-and-wales']?.events ?? [];
    events.push(
      { title: 'New Year’s Day', date: '2028-01-03', notes: 'Substitute day', bunting: true },
      { title: 'Good Friday', date: '2028-04-14', notes: '', bunting: false },
      { title: 'Easter Monday', date: '2028-04-17', notes: '', bunting: true },
      { title: 'Early May bank holiday', date: '2028-05-01', notes: '', bunting: true },
      { title: 'Spring bank holiday', date: '2028-05-29', notes: '', bunting: true },
      { title: 'Summer bank holiday', date: '2028-08-28', notes: '', bunting: true },
      { title: 'Christmas Day', date: '2028-12-25', notes: '', bunting: true },
      { title: 'Boxing Day', date: '2028-12-26', notes: '', bunting: true },
    );
    if (extra)
      events.push({
        title: 'Invented celebration bank holiday',
        date: '2028-06-16',
        notes: '',
        bunting: true,
      });
    return feed;
  };

  it('adds a one-off day the tables do not know, and changes the version', () => {
    // Prepare
    const plain = createCalendar({ division: 'england-and-wales' });
    const loaded = createCalendar({ division: 'england-and-wales', feed: with2028(true) });
    const thursday = at('2028-06-15T10:00:00+01:00');

    // Act
    const before = addWorkingDays(plain, thursday, 1);
    const after = addWorkingDays(loaded, thursday, 1);

    // Assess
    expect(local(before.due)).toBe('2028-06-16T17:00:00+01:00');
    expect(local(after.due)).toBe('2028-06-19T17:00:00+01:00');
    expect(after.explain.join(' ')).toContain('Invented celebration bank holiday');
    expect(loaded.dayInfo('2028-06-16')).toEqual({
      workingDay: false,
      reason: 'Invented celebration bank holiday, a bank holiday in England and Wales',
    });
    expect(loaded.version).not.toBe(plain.version);
  });

  it('keeps the version when the feed says what the tables already say', () => {
    // Prepare
    const plain = createCalendar({ division: 'scotland' });

    // Act
    const loaded = createCalendar({ division: 'scotland', feed: govUkFixture() });

    // Assess
    expect(loaded.version).toBe(plain.version);
    expect(createCalendar({ division: 'england-and-wales', feed: with2028(false) }).version).toBe(
      createCalendar({ division: 'england-and-wales' }).version,
    );
  });

  it('replaces a whole year the feed lists, so a cancelled holiday disappears', () => {
    // Prepare
    const feed = govUkFixture();
    const events = feed.scotland?.events ?? [];
    feed.scotland = { division: 'scotland', events: events.filter((e) => e.date !== '2026-11-30') };

    // Act
    const calendar = createCalendar({ division: 'scotland', feed });

    // Assess
    expect(calendar.isWorkingDay('2026-11-30')).toBe(true);
    expect(calendar.holidays(2026).map((h) => h.date)).not.toContain('2026-11-30');
    expect(calendar.holidays(2025).map((h) => h.date)).toContain('2025-12-01');
  });

  it('refuses a feed without the division or with an impossible date', () => {
    // Prepare
    const broken: GovUkFeed = {
      scotland: {
        division: 'scotland',
        events: [{ title: 'x', date: '2026-02-30', notes: '', bunting: false }],
      },
    };

    // Act
    const noDivision = () => createCalendar({ division: 'england-and-wales', feed: broken });
    const badDate = () => createCalendar({ division: 'scotland', feed: broken });

    // Assess
    expect(noDivision).toThrow(InvalidCalendarOptionsError);
    expect(badDate).toThrow(/February 2026 has 28 days/);
  });
});

describe('calendar options', () => {
  it('counts a closure day as not working and changes the version', () => {
    // Prepare
    const plain = createCalendar({ division: 'england-and-wales' });

    // Act
    const closed = createCalendar({ division: 'england-and-wales', closures: ['2026-12-24'] });

    // Assess
    expect(plain.isWorkingDay('2026-12-24')).toBe(true);
    expect(closed.dayInfo('2026-12-24')).toEqual({
      workingDay: false,
      reason: 'Thursday, an authority closure day',
    });
    expect(closed.version).not.toBe(plain.version);
  });

  it('refuses bad hours, closures and divisions', () => {
    // Prepare
    const badHours = { 1: { open: '17:00', close: '09:00' } };

    // Act
    const attempts = [
      () => createCalendar({ division: 'england-and-wales', officeHours: badHours }),
      () =>
        createCalendar({
          division: 'england-and-wales',
          teamHours: { t: { 2: { open: '9', close: '17:00' } } },
        }),
      () => createCalendar({ division: 'england-and-wales', closures: ['2026-13-01'] }),
      () => createCalendar({ division: 'wales' as never }),
    ];

    // Assess
    for (const attempt of attempts) expect(attempt).toThrow(InvalidCalendarOptionsError);
  });

  it('says so when asked about a year it has no data for', () => {
    // Prepare
    const calendar = createCalendar({ division: 'england-and-wales' });

    // Act
    const outside = () => calendar.holidays(2150);

    // Assess
    expect(outside).toThrow(CalendarRangeError);
    expect(() => calendar.isWorkingDay('2150-01-05')).toThrow(CalendarRangeError);
  });

  it('gives a team its own hours and everyone else the office hours', () => {
    // Prepare
    const hours = { 5: { open: '08:30', close: '16:30' } };

    // Act
    const calendar = createCalendar({
      division: 'england-and-wales',
      teamHours: { 'building-bridges': hours },
    });

    // Assess
    expect(calendar.hoursFor('building-bridges')).toBe(hours);
    expect(calendar.hoursFor('other')).toEqual(calendar.hoursFor());
    expect(calendar.hoursFor()[1]).toEqual({ open: '09:00', close: '17:00' });
  });
});
