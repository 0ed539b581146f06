/**
 * Every worked example of docs/domain.md, run: each row of a `| example |` table is a case whose
 * events are played, in the order listed, through the engine bound as the Lambdas bind it
 * (`makeCaseEngine`) on GOV.UK's bank-holidays feed (the fixture), 09:00–17:00 office hours and
 * no closure days. Before each event the case is advanced to the latest instant seen (as its
 * due timers would have), and the row's rule's latest clock must have the due time (the working
 * target), the limit and the status the row states. They were worked by hand; this test only
 * checks them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Division, GovUkFeed } from '#kernel/calendar/index.js';
import { localToUtc } from '#kernel/calendar/london.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import type { CaseEvent } from '#schemas/events.js';
import { DOMAIN_RULES, WALES_ONLY_RULES } from './helpers.js';

const DOC = readFileSync('docs/domain.md', 'utf8');
const FEED = JSON.parse(
  readFileSync('test/fixtures/govuk-bank-holidays.json', 'utf8'),
) as GovUkFeed;

interface Example {
  id: string;
  rule: string;
  division: Division;
  settings: string;
  events: string;
  due: string;
  limit: string;
  status: string;
}

const cells = (line: string) =>
  line
    .slice(1, -1)
    .split(' | ')
    .map((cell) => cell.trim());

/**
 * The rows of every table whose header starts `| example | rule |`, by the header's columns:
 * example, rule, division, settings, events, due, limit, status.
 */
function examples(markdown: string): Example[] {
  const rows: Example[] = [];
  let header: string[] | undefined;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('| example | rule |')) {
      header = cells(line).map((h) => h.split(' ')[0] as string);
      continue;
    }
    if (!line.startsWith('|')) header = undefined;
    if (header === undefined || line.startsWith('|---')) continue;
    const values = cells(line);
    const cell = (name: string) => {
      const i = header?.indexOf(name) ?? -1;
      if (i < 0) throw new Error(`an example table without a "${name}" column`);
      return values[i] as string;
    };
    rows.push({
      id: cell('example'),
      rule: cell('rule'),
      division: cell('division') as Division,
      settings: cell('settings'),
      events: cell('events'),
      due: cell('due'),
      limit: cell('limit'),
      status: cell('status'),
    });
  }
  return rows;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** `2026-08-13 10:00` London time → the instant. */
function london(date: string, time: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = time.split(':').map(Number) as [number, number];
  return new Date(localToUtc(Date.UTC(y, m - 1, d, hh, mm)));
}

/** `Thu 10 Sep 2026 17:00` → the instant; the weekday must be the date's (a typo fails here). */
function dueInstant(text: string): Date {
  const match = /^(\w{3}) (\d{1,2}) (\w{3}) (\d{4}) (\d\d:\d\d)$/.exec(text);
  if (!match) throw new Error(`due "${text}" is not "Ddd D Mmm YYYY HH:MM"`);
  const [, weekday, day, month, year, time] = match as unknown as string[];
  const m = MONTHS.indexOf(month as string) + 1;
  const date = `${year}-${String(m).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  expect(WEEKDAYS[new Date(`${date}T12:00:00Z`).getUTCDay()], `weekday of ${text}`).toBe(weekday);
  return london(date, time as string);
}

/**
 * `end of Fri 4 Sep 2026` → the London midnight that ends that date; an instant
 * (`Sun 29 Mar 2026 13:00`, an hours clock's limit) as a due time.
 */
function limitInstant(text: string): Date {
  const end = /^end of (.+)$/.exec(text);
  if (!end) return dueInstant(text);
  const day = dueInstant(`${end[1]} 00:00`);
  const next = new Date(day.getTime() + 36 * 3_600_000);
  return london(next.toISOString().slice(0, 10), '00:00');
}

/** `nation=wales`, `ladoNotification=one-working-day`, `core-group.clock=4 weeks` → overrides. */
function overrides(settings: string): AuthorityConfig['rules'] {
  if (settings === '–') return undefined;
  const out: Record<string, unknown> = {};
  const rules: Record<string, unknown> = {};
  for (const setting of settings.split(', ')) {
    const [key, value] = setting.split('=') as [string, string];
    const clock = /^(.+)\.clock$/.exec(key);
    if (clock) {
      const [amount, unit] = value.split(' ') as [string, string];
      rules[clock[1] as string] = {
        clock: { unit: unit.replace(' ', '-'), amount: Number(amount) },
      };
    } else out[key] = value;
  }
  return Object.keys(rules).length > 0 ? { ...out, rules } : out;
}

let seq = 0;

/** `2026-08-13 10:00 strategy-discussion.held enquiryId=E-1` → the event for C-1001. */
function event(text: string): CaseEvent {
  const [date, time, type, ...fields] = text.trim().split(' ') as [
    string,
    string,
    string,
    ...string[],
  ];
  const data: Record<string, unknown> = {};
  for (const field of fields) {
    const [key, value] = field.split('=') as [string, string];
    data[key] =
      value === 'true' ? true : value === 'false' ? false : /^\d+$/.test(value) ? +value : value;
  }
  seq++;
  return {
    id: `doc-${seq}`,
    type,
    occurredAt: london(date, time).toISOString(),
    caseId: 'C-1001',
    data,
  } as CaseEvent;
}

const rows = examples(DOC);

describe('docs/domain.md worked examples', () => {
  it('has examples for every rule', () => {
    expect(new Set(rows.map((r) => r.rule))).toEqual(
      new Set([...DOMAIN_RULES, ...WALES_ONLY_RULES]),
    );
    expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  });

  it.each(rows.map((r) => [r.id, r.rule, r.due, r] as const))(
    '%s %s: due %s, limit and status as stated',
    (_id, rule, due, row) => {
      // Prepare: an England and Wales authority on the GOV.UK feed, the row's settings.
      const rulesOverride = overrides(row.settings);
      const engine = makeCaseEngine(
        {
          authority: 'Example Council',
          division: 'england-and-wales',
          preset: 'southampton',
          ...(rulesOverride === undefined ? {} : { rules: rulesOverride }),
          links: { caseUrlTemplate: 'https://cases.example.gov.uk/{caseId}' },
        },
        undefined,
        { feed: FEED },
      );
      const events = row.events.split('; ').map(event);
      const first = events[0] as CaseEvent;
      const opened = {
        id: `doc-open-${seq}`,
        type: 'case.opened',
        occurredAt: first.occurredAt,
        caseId: 'C-1001',
        data: { team: 'north-assessment', division: row.division },
      } as CaseEvent;

      // Act: delivered in order; before each, the case is advanced to the latest instant seen.
      let aggregate: CaseAggregate | undefined;
      let now = new Date(first.occurredAt);
      for (const e of [opened, ...events]) {
        const at = new Date(e.occurredAt);
        if (at > now) now = at;
        if (aggregate) aggregate = engine.advance(aggregate, now).aggregate;
        aggregate = engine.applyEvent(aggregate, e, now).aggregate;
      }

      // Assess: the rule's latest clock.
      const clocks = (aggregate as CaseAggregate).deadlines.filter((d) => d.rule === rule);
      const latest = clocks.at(-1);
      expect(latest, `a ${rule} clock`).toBeDefined();
      expect(latest?.dueAt.toISOString()).toBe(dueInstant(due).toISOString());
      expect(latest?.limitAt?.toISOString()).toBe(limitInstant(row.limit).toISOString());
      expect(latest?.status).toBe(row.status);
    },
  );
});
