/**
 * `timescales`: the calendar for operators and scripts. Every command prints JSON on stdout;
 * bad input prints a message on stderr and exits non-zero.
 *
 *   timescales holidays --division scotland --year 2026
 *   timescales add 2026-03-27T15:00:00Z 24 working-hours [--division d] [--team building-bridges]
 *   timescales is-working-day 2026-12-28 [--division d]
 *   timescales load-feed bank-holidays.json [--table T] [--endpoint URL] [--lambda-env env.json]
 *   timescales recompute [--table T] [--endpoint URL] [--lambda-env env.json]
 *   timescales rules [--config timescales.config.json] | rules check <file>   (bin/rules.ts)
 *
 * `--feed bank-holidays.json` loads a GOV.UK feed over the built-in tables (calendar commands
 * only). `load-feed` and `recompute` act on a deployment's table (bin/operations.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import {
  addHours,
  addMonths,
  addWeeks,
  addWorkingDays,
  addWorkingHours,
  BUILDING_BRIDGES_HOURS,
  type Calendar,
  CalendarError,
  createCalendar,
  DIVISIONS,
  type Division,
  type Due,
  formatLocal,
  type GovUkFeed,
  parseInstant,
} from '#calendar/index.js';

const USAGE = `Usage:
  timescales holidays --division <division> --year <yyyy>
  timescales add <instant> <n> <unit> [--division <division>] [--team <team>]
  timescales is-working-day <yyyy-mm-dd> [--division <division>]
  timescales load-feed <bank-holidays.json> [--table <t>] [--endpoint <url>] [--lambda-env <file>]
  timescales recompute [--table <t>] [--endpoint <url>] [--lambda-env <file>]
  timescales rules [--config <file>] | timescales rules check <file>   (see rules --help)
Options: --feed <bank-holidays.json> loads a GOV.UK feed over the built-in tables.
Divisions: ${DIVISIONS.join(', ')} (default england-and-wales).
Units: hours, working-hours, working-days, weeks, months. Teams: building-bridges.`;

/** Bad command-line input: reported without a stack trace. */
class UsageError extends Error {
  override name = 'UsageError';
}

const TEAMS = { 'building-bridges': BUILDING_BRIDGES_HOURS };

const UNITS: Record<string, (cal: Calendar, from: Date, n: number, team?: string) => Due> = {
  hours: (cal, from, n) => addHours(cal, from, n),
  'working-hours': (cal, from, n, team) => addWorkingHours(cal, from, n, cal.hoursFor(team)),
  'working-days': (cal, from, n, team) => addWorkingDays(cal, from, n, cal.hoursFor(team)),
  weeks: (cal, from, n, team) => addWeeks(cal, from, n, cal.hoursFor(team)),
  months: (cal, from, n, team) => addMonths(cal, from, n, cal.hoursFor(team)),
};

function calendarFrom(values: { division?: string; feed?: string }): Calendar {
  const division = values.division ?? 'england-and-wales';
  if (!DIVISIONS.includes(division as Division)) {
    throw new UsageError(`unknown division "${division}": expected one of ${DIVISIONS.join(', ')}`);
  }
  let feed: GovUkFeed | undefined;
  if (values.feed !== undefined) {
    try {
      feed = JSON.parse(readFileSync(values.feed, 'utf8')) as GovUkFeed;
    } catch (err) {
      throw new UsageError(`cannot read the feed ${values.feed}: ${(err as Error).message}`);
    }
  }
  return createCalendar({
    division: division as Division,
    teamHours: TEAMS,
    ...(feed ? { feed } : {}),
  });
}

async function command(args: string[]): Promise<unknown> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: {
      division: { type: 'string' },
      year: { type: 'string' },
      team: { type: 'string' },
      feed: { type: 'string' },
      table: { type: 'string' },
      endpoint: { type: 'string' },
      'lambda-env': { type: 'string' },
    },
  });
  const [name, ...rest] = positionals;
  const expect = (count: number, shape: string): void => {
    if (rest.length !== count) throw new UsageError(`${name} expects ${shape}`);
  };
  switch (name) {
    case 'holidays': {
      expect(0, '--division <division> --year <yyyy>');
      if (values.year === undefined || !/^\d{4}$/.test(values.year)) {
        throw new UsageError('holidays needs --year <yyyy>');
      }
      return calendarFrom(values).holidays(Number(values.year));
    }
    case 'add': {
      expect(3, '<instant> <n> <unit>');
      const [instant, amount, unit] = rest as [string, string, string];
      const add = Object.hasOwn(UNITS, unit) ? UNITS[unit] : undefined;
      if (!add)
        throw new UsageError(
          `unknown unit "${unit}": expected one of ${Object.keys(UNITS).join(', ')}`,
        );
      if (!/^\d+(\.\d+)?$/.test(amount)) throw new UsageError(`"${amount}" is not a number ≥ 0`);
      if (values.team !== undefined && !Object.hasOwn(TEAMS, values.team)) {
        throw new UsageError(
          `unknown team "${values.team}": expected one of ${Object.keys(TEAMS).join(', ')}`,
        );
      }
      const cal = calendarFrom(values);
      const from = parseInstant(instant);
      const { due, explain } = add(cal, from, Number(amount), values.team);
      return { from: formatLocal(from), due: formatLocal(due), explain };
    }
    case 'is-working-day': {
      expect(1, '<yyyy-mm-dd>');
      const date = rest[0] as string;
      return { date, ...calendarFrom(values).dayInfo(date) };
    }
    case 'load-feed': {
      expect(1, '<bank-holidays.json>');
      // Loaded on demand: the calendar commands stay free of the AWS SDK.
      const { loadFeed } = await import('./operations.js');
      return loadFeed(rest[0] as string, tableOptions(values));
    }
    case 'recompute': {
      expect(0, 'no arguments');
      const { recomputeAll } = await import('./operations.js');
      return recomputeAll({
        ...tableOptions(values),
        warn: (message) => process.stderr.write(`timescales: ${message}\n`),
      });
    }
    default:
      throw new UsageError(name === undefined ? 'no command given' : `unknown command "${name}"`);
  }
}

function tableOptions(values: { table?: string; endpoint?: string; 'lambda-env'?: string }) {
  return { table: values.table, endpoint: values.endpoint, lambdaEnv: values['lambda-env'] };
}

/** Runs one command; returns the exit code. */
export async function main(args: string[]): Promise<number> {
  // The rule table is markdown, not JSON: its own module prints it.
  if (args[0] === 'rules') return (await import('./rules.js')).rulesCommand(args.slice(1));
  try {
    process.stdout.write(`${JSON.stringify(await command(args), null, 2)}\n`);
    return 0;
  } catch (err) {
    if ((err as Error).name === 'OperatorError') {
      process.stderr.write(`timescales: ${(err as Error).message}\n`);
      return 2;
    }
    const known =
      err instanceof UsageError ||
      err instanceof CalendarError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) throw err;
    process.stderr.write(
      `timescales: ${(err as Error).message}\n${err instanceof UsageError || !(err instanceof CalendarError) ? `\n${USAGE}\n` : ''}`,
    );
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
