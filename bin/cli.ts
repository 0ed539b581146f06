/**
 * `timescales`: the calendar for operators and scripts, the operator commands on a deployment's
 * table (bin/operations.ts) and `send` for local mode (bin/send.ts). Calendar and operator
 * commands print JSON on stdout; `--help` (on its own or after any command) prints usage;
 * bad input prints one message on stderr and exits 2, a refused or unreachable `send` exits 1.
 *
 *   timescales holidays --division scotland --year 2026
 *   timescales add 2026-03-27T15:00:00Z 24 working-hours [--division d] [--team building-bridges]
 *   timescales is-working-day 2026-12-28 [--division d]
 *   timescales load-feed bank-holidays.json [--table T] [--endpoint URL] [--lambda-env env.json]
 *   timescales recompute [--table T] [--endpoint URL] [--lambda-env env.json]
 *   timescales rebuild-reports [--table T] [--endpoint URL] [--lambda-env env.json]
 *   timescales import cases.csv [--dry-run] [--json] [--snapshot [--close-missing]] [--concurrency N]
 *                               [--strict] [--endpoint URL]
 *   timescales send events.json [--url http://127.0.0.1:3000]
 *   timescales rules [--config timescales.config.json] | rules check <file>   (bin/rules.ts)
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DEFAULT_CONCURRENCY, MAX_CONCURRENCY } from '#functions/import/limits.js';
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
} from '#kernel/calendar/index.js';

const DIVISION_HELP = `--division <division>  ${DIVISIONS.join(', ')} (default england-and-wales)`;
const FEED_HELP = '--feed <file>          a GOV.UK bank-holidays.json over the built-in tables';
const TABLE_HELP = `--table <name>         the table (default TABLE_NAME; with --endpoint, npm start's)
  --endpoint <url>       DynamoDB Local's address (npm start prints it) instead of AWS
  --lambda-env <file>    the Lambdas' environment as JSON (aws lambda get-function-configuration
                         --query Environment.Variables): TABLE_NAME, AUTHORITY_CONFIG, scheduler`;

/** Each command's usage line, what it does and its options: `timescales <command> --help`. */
const COMMANDS: Record<string, { usage: string; summary: string; options: string }> = {
  holidays: {
    usage: 'holidays --year <yyyy> [--division <division>] [--feed <file>]',
    summary: "Lists a division's bank holidays in a year: [{date, name}].",
    options: `--year <yyyy>          the year (the built-in tables cover 2012–2100)\n  ${DIVISION_HELP}\n  ${FEED_HELP}`,
  },
  add: {
    usage: 'add <instant> <n> <unit> [--division <division>] [--team <team>] [--feed <file>]',
    summary:
      'The due time <n> <unit> after <instant> (ISO-8601 with its offset), with its explanation:\n{from, due, explain[]}. <n> is a number ≥ 0.',
    options: `<unit>                 hours, working-hours, working-days, weeks, months\n  --team <team>          count in a team's hours: building-bridges\n  ${DIVISION_HELP}\n  ${FEED_HELP}`,
  },
  'is-working-day': {
    usage: 'is-working-day <yyyy-mm-dd> [--division <division>] [--feed <file>]',
    summary: 'Whether a date is a working day, and why not: {date, workingDay, reason}.',
    options: `${DIVISION_HELP}\n  ${FEED_HELP}`,
  },
  'load-feed': {
    usage:
      'load-feed <bank-holidays.json> [--table <name>] [--endpoint <url>] [--lambda-env <file>]',
    summary:
      "Validates a GOV.UK bank-holidays.json and stores it as the deployment's feed (Lambdas pick\nit up within 5 minutes): {years, divisions, sha256, calendarVersionBefore, calendarVersionAfter}.",
    options: TABLE_HELP,
  },
  recompute: {
    usage: 'recompute [--table <name>] [--endpoint <url>] [--lambda-env <file>]',
    summary:
      'Recomputes every case with an open deadline with the stored feed and rules, and moves\ntheir timers: {cases, recomputed, unchanged, failed}. Run it again while failed > 0.',
    options: TABLE_HELP,
  },
  'rebuild-reports': {
    usage: 'rebuild-reports [--table <name>] [--endpoint <url>] [--lambda-env <file>]',
    summary:
      "Recomputes the compliance report's counters from every case's deadlines and replaces the\nstored ones: {cases, deadlines, items, deleted}. Run it while no events arrive.",
    options: TABLE_HELP,
  },
  import: {
    usage:
      'import <file> [--dry-run] [--json] [--snapshot [--close-missing]] [--concurrency <n>] [--strict] [--table <name>] [--endpoint <url>] [--lambda-env <file>]',
    summary:
      "Imports a file of events (NDJSON: one POST /v1/events body a line) or rows (CSV in the shapes\nof docs/import.md, told apart by their header) through the webhook's own rules and checks,\ncases side by side, each case's rows in file order. CSV rows get ids from their content, so\nimporting a file again changes nothing. Prints imported / unchanged / refused, each refused\nrow with its line, column and problem, and the warnings. A misspelt CSV column refuses the\nfile (exit 2); other unknown columns are listed as ignored. Exit 0 when nothing was refused,\n1 otherwise.",
    options: `--dry-run              write nothing: say what would change (cases, clocks, reminders in the
                         next 7 days) and what would be refused
  --json                 the report as JSON
  --snapshot             the file lists every open case: list the open cases it lacks
  --close-missing        with --snapshot, close them (a case.closed event each)
  --concurrency <n>      cases imported at once, 1–${MAX_CONCURRENCY} (default ${DEFAULT_CONCURRENCY})
  --strict               refuse a CSV column the shape does not use (else it is ignored)
  ${TABLE_HELP}`,
  },
  send: {
    usage: 'send [<events.json> | -] [--url <base-url>]',
    summary:
      "Signs events (one JSON object, an array, or one object a line; a file, or stdin) with\nWEBHOOK_SECRET, else npm start's development secret, and POSTs them in order to a running\nserver. Prints {id, type, status} a line; stops at the first refusal (exit 1).",
    options:
      '--url <base-url>       the server (default BASE_URL, else http://127.0.0.1:$PORT, PORT default 3000)',
  },
  rules: {
    usage: 'rules [--config <file>] | rules check <file>',
    summary:
      'Prints the effective rule table as markdown (every rule on and off, its clock, events,\nreminders and flags), or checks a timescales.config.json as cdk synth does (exit 2 naming\neach problem).',
    options:
      '--config <file>        the configuration (default ./timescales.config.json, else the defaults)',
  },
};

const USAGE = `Usage: timescales <command> [arguments] [options]   (timescales <command> --help for more)
${Object.entries(COMMANDS)
  .map(([, c]) => `  timescales ${c.usage}`)
  .join('\n')}`;

function commandHelp(name: string): string {
  const c = COMMANDS[name] as (typeof COMMANDS)[string];
  return `Usage: timescales ${c.usage}\n\n${c.summary}\n\nOptions:\n  ${c.options}`;
}

/** The usage of the command `args` name (`--help` for the rest), else every command's. */
function usageFor(args: string[]): string {
  const named = args.find((arg) => !arg.startsWith('-'));
  if (named === undefined || !Object.hasOwn(COMMANDS, named)) return USAGE;
  return `Usage: timescales ${COMMANDS[named]?.usage}   (timescales ${named} --help for more)`;
}

/** Text printed as is (help; `send`'s tally, on stderr), not as JSON. */
class Text {
  constructor(
    readonly text: string,
    readonly stream: 'stdout' | 'stderr' = 'stdout',
  ) {}
}

/** A command that wrote its own output: only its exit code is left to give. */
class Exit {
  constructor(readonly code: number) {}
}

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

/**
 * A negative number would reach the argument parser as an unknown option; it gets the range
 * message instead, naming the option or argument it was given for.
 */
function refuseNegativeNumbers(args: string[]): void {
  args.forEach((arg, index) => {
    const inline = /^(--[a-z-]+)=(-\d.*)$/.exec(arg);
    if (inline) throw new UsageError(`${inline[1]} must be ≥ 0 (got ${inline[2]})`);
    if (!/^-\d/.test(arg)) return;
    const previous = args[index - 1];
    if (previous?.startsWith('--') === true && !previous.includes('=')) {
      throw new UsageError(`${previous} must be ≥ 0 (got ${arg})`);
    }
    const what = args.find((a) => !a.startsWith('-')) === 'add' ? '<n>' : 'a number';
    throw new UsageError(`${what} must be ≥ 0 (got ${arg})`);
  });
}

async function command(args: string[]): Promise<unknown> {
  const wantsHelp = args.includes('--help') || args.includes('-h');
  const named = args.find((arg) => !arg.startsWith('-'));
  if (wantsHelp || named === 'help') {
    const topic = named === 'help' ? args.filter((a) => !a.startsWith('-'))[1] : named;
    if (topic === undefined) return new Text(USAGE);
    if (!Object.hasOwn(COMMANDS, topic)) throw new UsageError(`unknown command "${topic}"`);
    return new Text(commandHelp(topic));
  }
  refuseNegativeNumbers(args);
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
      url: { type: 'string' },
      'dry-run': { type: 'boolean' },
      json: { type: 'boolean' },
      snapshot: { type: 'boolean' },
      'close-missing': { type: 'boolean' },
      concurrency: { type: 'string' },
      strict: { type: 'boolean' },
    },
  });
  const [name, ...rest] = positionals;
  const expect = (count: number, shape: string): void => {
    if (rest.length !== count) throw new UsageError(`${name} expects ${shape}`);
  };
  switch (name) {
    case 'holidays': {
      expect(0, '--division <division> --year <yyyy>');
      if (values.year === undefined) throw new UsageError('holidays needs --year <yyyy>');
      if (!/^\d{4}$/.test(values.year)) {
        throw new UsageError(`--year must be a four-digit year, e.g. 2026 (got "${values.year}")`);
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
      if (!/^\d+(\.\d+)?$/.test(amount)) {
        throw new UsageError(`<n> must be a number ≥ 0, e.g. 24 or 1.5 (got "${amount}")`);
      }
      if (values.team !== undefined && !Object.hasOwn(TEAMS, values.team)) {
        throw new UsageError(
          `unknown team "${values.team}": expected one of ${Object.keys(TEAMS).join(', ')}`,
        );
      }
      const cal = calendarFrom(values);
      const from = parseInstant(instant);
      const { due, limit, explain } = add(cal, from, Number(amount), values.team);
      return { from: formatLocal(from), due: formatLocal(due), limit: formatLocal(limit), explain };
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
    case 'rebuild-reports': {
      expect(0, 'no arguments');
      const { rebuildAllReports } = await import('./operations.js');
      return rebuildAllReports(tableOptions(values));
    }
    case 'import': {
      expect(1, '<file>');
      if (values['close-missing'] === true && values.snapshot !== true)
        throw new UsageError('--close-missing needs --snapshot');
      const concurrency = values.concurrency;
      if (
        concurrency !== undefined &&
        (!/^\d+$/.test(concurrency) ||
          Number(concurrency) < 1 ||
          Number(concurrency) > MAX_CONCURRENCY)
      ) {
        throw new UsageError(
          `--concurrency must be a whole number from 1 to ${MAX_CONCURRENCY} (got "${concurrency}")`,
        );
      }
      const { importFile } = await import('./import.js');
      const code = await importFile(rest[0] as string, {
        ...tableOptions(values),
        dryRun: values['dry-run'],
        json: values.json,
        snapshot: values.snapshot,
        closeMissing: values['close-missing'],
        concurrency: concurrency === undefined ? undefined : Number(concurrency),
        strict: values.strict,
      });
      return new Exit(code);
    }
    case 'send': {
      if (rest.length > 1) throw new UsageError('send expects one file of events (or - for stdin)');
      const file = rest[0] ?? '-';
      if (file === '-' && process.stdin.isTTY) {
        throw new UsageError('send needs a file of events, or events on stdin');
      }
      const { parseEvents, sendEvents } = await import('./send.js');
      let text: string;
      try {
        text = readFileSync(file === '-' ? 0 : file, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      let events: Record<string, unknown>[];
      try {
        events = parseEvents(text, file === '-' ? 'stdin' : file);
      } catch (err) {
        if ((err as Error).name === 'InvalidEventsError')
          throw new UsageError((err as Error).message);
        throw err;
      }
      const results = await sendEvents(events, {
        baseUrl: values.url,
        onResult: (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
      });
      // The lines went to stdout as each event was accepted; the tally is for a person.
      return new Text(`${results.length} event(s) accepted`, 'stderr');
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
  // The rule table is markdown, not JSON: its own module prints it (and its --help).
  if (args[0] === 'rules') return (await import('./rules.js')).rulesCommand(args.slice(1));
  try {
    const result = await command(args);
    if (result instanceof Exit) return result.code;
    if (result instanceof Text) process[result.stream].write(`${result.text}\n`);
    else process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return 0;
  } catch (err) {
    if ((err as Error).name === 'SendError') {
      process.stderr.write(`timescales: ${(err as Error).message}\n`);
      return 1;
    }
    // `--endpoint` reads timescales.config.json: a bad file is named, field by field.
    if ((err as Error).name === 'OperatorError' || (err as Error).name === 'ConfigError') {
      process.stderr.write(`timescales: ${(err as Error).message}\n`);
      return 2;
    }
    const known =
      err instanceof UsageError ||
      err instanceof CalendarError ||
      (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (!known) throw err;
    process.stderr.write(`timescales: ${(err as Error).message}\n`);
    // A calendar error is about a value, not the command's shape: the message is enough.
    if (!(err instanceof CalendarError)) process.stderr.write(`${usageFor(args)}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
