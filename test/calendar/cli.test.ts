import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { govUkFixture } from './helpers.js';

const BIN = fileURLToPath(new URL('../../bin/timescales.js', import.meta.url));

function timescales(...args: string[]) {
  const run = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('timescales CLI', () => {
  it('holidays --division scotland --year 2026 lists the GOV.UK days', () => {
    // Act
    const { code, stdout } = timescales('holidays', '--division', 'scotland', '--year', '2026');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual(
      govUkFixture()
        .scotland?.events.filter((e) => e.date.startsWith('2026'))
        .map((e) => ({ date: e.date, name: e.title })),
    );
  });

  it('add … working-hours gives the due time with the London offset and the explanation', () => {
    // Act
    const { code, stdout } = timescales('add', '2026-03-27T15:00:00Z', '24', 'working-hours');

    // Assess
    expect(code).toBe(0);
    const out = JSON.parse(stdout);
    expect(out.from).toBe('2026-03-27T15:00:00+00:00');
    expect(out.due).toBe('2026-04-01T15:00:00+01:00');
    // Counted in hours: the limit is the due time itself.
    expect(out.limit).toBe('2026-04-01T15:00:00+01:00');
    expect(out.explain).toContain('Skipped the weekend of Saturday 28 and Sunday 29 March 2026.');
  });

  it('add … with --team building-bridges uses the team hours', () => {
    // Act
    const { code, stdout } = timescales(
      'add',
      '2026-02-06T10:00:00Z',
      '5',
      'weeks',
      '--team',
      'building-bridges',
    );

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout).due).toBe('2026-03-13T16:30:00+00:00');
  });

  it('add … working-days in Northern Ireland skips the Boyne', () => {
    // Act
    const { stdout } = timescales(
      'add',
      '2026-07-10T10:00:00+01:00',
      '1',
      'working-days',
      '--division',
      'northern-ireland',
    );

    // Assess
    expect(JSON.parse(stdout).due).toBe('2026-07-14T17:00:00+01:00');
  });

  it('is-working-day names the holiday', () => {
    // Act
    const { code, stdout } = timescales('is-working-day', '2026-12-28');

    // Assess
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      date: '2026-12-28',
      workingDay: false,
      reason: 'Boxing Day (substitute day), a bank holiday in England and Wales',
    });
  });

  it('--feed loads a GOV.UK file over the tables', () => {
    // Prepare
    const feed = govUkFixture();
    feed['england-and-wales']?.events.push({
      title: 'Invented one-off day',
      date: '2027-06-04',
      notes: '',
      bunting: true,
    });
    const path = join(mkdtempSync(join(tmpdir(), 'timescales-')), 'bank-holidays.json');
    writeFileSync(path, JSON.stringify(feed));

    // Act
    const { stdout } = timescales('is-working-day', '2027-06-04', '--feed', path);

    // Assess
    expect(JSON.parse(stdout).workingDay).toBe(false);
  });

  const badInput: [string, string[], RegExp][] = [
    ['an impossible date', ['is-working-day', '2026-02-30'], /February 2026 has 28 days/],
    ['an instant without offset', ['add', '2026-03-27T15:00:00', '1', 'hours'], /with an offset/],
    [
      'an unknown unit',
      ['add', '2026-03-27T15:00:00Z', '1', 'fortnights'],
      /unknown unit "fortnights"/,
    ],
    [
      'a negative amount',
      ['add', '2026-03-27T15:00:00Z', '-1', 'hours'],
      /^timescales: <n> must be ≥ 0 \(got -1\)$/m,
    ],
    [
      'a negative year',
      ['holidays', '--year', '-2026'],
      /^timescales: --year must be ≥ 0 \(got -2026\)$/m,
    ],
    [
      'a negative year given inline',
      ['holidays', '--year=-1'],
      /^timescales: --year must be ≥ 0 \(got -1\)$/m,
    ],
    [
      'an amount that is not a number',
      ['add', '2026-03-27T15:00:00Z', 'ten', 'hours'],
      /<n> must be a number ≥ 0/,
    ],
    ['a year that is not one', ['holidays', '--year', '26'], /--year must be a four-digit year/],
    [
      'an unknown division',
      ['holidays', '--division', 'wales', '--year', '2026'],
      /unknown division "wales"/,
    ],
    ['a missing year', ['holidays', '--division', 'scotland'], /--year/],
    [
      'an unknown team',
      ['add', '2026-03-27T15:00:00Z', '1', 'weeks', '--team', 'nobody'],
      /unknown team/,
    ],
    ['an unknown option', ['holidays', '--colour'], /colour/],
    ['no command', [], /no command/],
  ];
  for (const [what, args, message] of badInput) {
    it(`fails clearly on ${what}`, () => {
      // Act
      const { code, stdout, stderr } = timescales(...args);

      // Assess
      expect(code).not.toBe(0);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
    });
  }

  it('names the command and its usage after a usage error, not every command', () => {
    const { stderr } = timescales('add', '2026-03-27T15:00:00Z', '-1', 'hours');
    expect(stderr.trimEnd().split('\n')).toEqual([
      'timescales: <n> must be ≥ 0 (got -1)',
      expect.stringMatching(
        /^Usage: timescales add <instant> <n> <unit> .*\(timescales add --help for more\)$/,
      ),
    ]);
  });

  it('--help lists every command, on stdout, with exit code 0', () => {
    // Act
    const { code, stdout, stderr } = timescales('--help');

    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of ['holidays', 'add', 'is-working-day', 'load-feed', 'recompute', 'send']) {
      expect(stdout).toMatch(new RegExp(`^  timescales ${command} `, 'm'));
    }
  });

  // The calendar commands (bin/cli.ts), the operator commands (bin/operations.ts) and send.
  it.each([
    ['holidays', '--year <yyyy>'],
    ['add', '<instant> <n> <unit>'],
    ['is-working-day', '<yyyy-mm-dd>'],
    ['load-feed', '<bank-holidays.json>'],
    ['recompute', '[--table <name>]'],
    ['send', '[<events.json> | -]'],
  ])('%s --help prints its usage and options and does nothing else', (command, shape) => {
    // Act: with no other arguments, which would otherwise be a usage error (or, for recompute,
    // an attempt to reach a table).
    const { code, stdout, stderr } = timescales(command, '--help');

    // Assess
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout.startsWith(`Usage: timescales ${command} ${shape}`)).toBe(true);
    expect(stdout).toMatch(/\nOptions:\n/);
  });

  it('help <command> is the same as <command> --help', () => {
    expect(timescales('help', 'load-feed').stdout).toBe(timescales('load-feed', '--help').stdout);
  });
});
