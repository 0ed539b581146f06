/**
 * `npx timescales rules` and `rules check`: the rule table a safeguarding manager reviews
 * (the README shows it for the repository's configuration) and the check of a configuration.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rulesCommand } from '#bin/rules.js';

const CONFIG = JSON.parse(readFileSync('timescales.config.json', 'utf8')) as Record<
  string,
  unknown
>;

/** `rulesCommand` with its output captured. */
function rules(...args: string[]) {
  let out = '';
  let err = '';
  const code = rulesCommand(args, { out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

/** A configuration file: the repository's with `patch` applied. */
function configFile(patch: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'timescales-rules-')), 'timescales.config.json');
  writeFileSync(path, JSON.stringify({ ...CONFIG, ...patch }));
  return path;
}

/** The table row of `rule`, as cells. */
const row = (out: string, rule: string) =>
  out
    .split('\n')
    .find((line) => line.startsWith(`| \`${rule}\` |`))
    ?.slice(2, -2)
    .split(' | ');

describe('timescales rules', () => {
  it('prints the table the README shows, for the repository’s timescales.config.json', () => {
    // Prepare
    const readme = readFileSync('README.md', 'utf8');
    const shown = /<!-- rules-output -->\n([\s\S]*?)<!-- \/rules-output -->/.exec(readme)?.[1];

    // Act
    const run = spawnSync(process.execPath, ['bin/timescales.js', 'rules'], {
      encoding: 'utf8',
      timeout: 30_000,
    });

    // Assess
    expect(run.status).toBe(0);
    expect(shown).toBeDefined();
    expect(run.stdout).toBe(shown);
  });

  it('shows every rule with its clock, events, reminders, flags and source', () => {
    // Act
    const { code, out } = rules('--config', 'timescales.config.json');

    // Assess
    expect(code).toBe(0);
    expect(row(out, 'cla-visit')).toEqual([
      '`cla-visit`',
      'on',
      "1 week from the start, then every 6 weeks; by `basis`: `until-18`: after 12 months, every 3 months; `with-parent-before-assessment`: every week until the first review, then every 6 weeks; `connected-person-temporary`: every week until the first review, then every 4 weeks; `interim-care-order-at-home`: every week until the first review, then every 4 weeks; `short-breaks`: the placement's `visitEveryWeeks`",
      '`placement.started`, `visit.made {kind: cla}`',
      '`visit.made {kind: cla}`',
      '`placement.ended`, `case.closed`',
      '2 working days before, on the day → allocated-worker; breach (manager, head of service from day 1, daily)',
      'safeguarding, recurring',
      'regulation: [The Care Planning, Placement and Case Review (England) Regulations 2010, regulation 28(2): within one week of the start of any placement, then at intervals of not more than six weeks](https://www.legislation.gov.uk/uksi/2010/959/regulation/28)',
    ]);
    expect(row(out, 'initial-conference')?.slice(2, 6)).toEqual([
      '15 working days',
      '`strategy-discussion.held`',
      '`conference.held {kind: initial}` (same `enquiryId`)',
      '`enquiry.concluded {conference: false}`, `case.closed`',
    ]);
    expect(row(out, 'assessment')?.[5]).toBe(
      '`referral.decided {outcome: early-help or no-further-action}`, `case.closed`',
    );
    expect(row(out, 'care-proceedings')?.[2]).toBe(
      '26 weeks beginning with the start day (extended by `proceedings.extended`)',
    );
    expect(row(out, 'cp-visit')?.[8]).toMatch(/^local practice: No national frequency in England/);
    expect(row(out, 'disagreement')?.[7]).toBe('–');
    expect(out).not.toContain('Scope:');
  });

  it('shows a council’s overrides, and the rules it switched off last', () => {
    // Prepare
    const path = configFile({
      rules: {
        'cp-visit': { clock: { unit: 'weeks', amount: 2 } },
        assessment: { enabled: false },
      },
      ruleSettings: { nation: 'wales' },
      reminderPlans: {
        'cp-visit': {
          steps: [
            {
              key: 'b1wd',
              at: { kind: 'before', workingDays: 1 },
              to: [{ role: 'allocated-worker' }],
            },
          ],
        },
      },
    });

    // Act
    const { code, out } = rules('--config', path);

    // Assess
    expect(code).toBe(0);
    expect(row(out, 'cp-visit')?.[2]).toBe('every 2 weeks');
    expect(row(out, 'cp-visit')?.[6]).toBe(
      '1 working day before → allocated-worker; breach (manager, head of service from day 1, daily)',
    );
    expect(row(out, 'core-group')?.[6]).toBe(
      '2 working days before, on the day → allocated-worker, team-manager; breach (once)',
    );
    expect(row(out, 'assessment')?.slice(1, 3)).toEqual(['off', '42 working days']);
    const tableRows = out.split('\n').filter((line) => line.startsWith('| `'));
    expect(tableRows.at(-1)).toMatch(/^\| `assessment` \| off \|/);
    // Wales: the child seen at home every 4 weeks, beside the seen-alone clock.
    expect(row(out, 'cp-home-visit')?.slice(1, 3)).toEqual(['on', 'every 4 weeks']);
  });

  it('in Scotland, lists the England-only rules as off and says how to switch one on', () => {
    // Act
    const { out } = rules('--config', configFile({ division: 'scotland' }));

    // Assess
    for (const id of ['referral-decision', 'cp-visit', 'cla-visit', 'lado-notification']) {
      expect(row(out, id)?.[1]).toBe('off (England only)');
    }
    expect(row(out, 'disagreement')?.[1]).toBe('on');
    expect(out).toContain(
      "Scope: this authority's division is `scotland`, so the England-only rules (`lado-notification`, `lado-response`, `referral-decision`",
    );
    expect(out).toContain(
      'To run one, switch it on with `"rules": { "<id>": { "enabled": true } }`.',
    );
  });

  it('answers --help', () => {
    // Act
    const { code, out } = rules('--help');

    // Assess
    expect(code).toBe(0);
    expect(out).toContain('timescales rules check <timescales.config.json>');
  });
});

describe('timescales rules check', () => {
  it('exits 0 on a valid configuration', () => {
    // Act
    const { code, out } = rules('check', 'timescales.config.json');

    // Assess
    expect(code).toBe(0);
    expect(out).toBe('timescales.config.json: valid — 15 rules on, 0 off\n');
  });

  it('exits 2 on a bad one, naming each problem on its own line (through the real CLI)', () => {
    // Prepare
    const path = configFile({
      rules: { 'cp-visit': { clock: { unit: 'fortnights', amount: 1 } } },
      reminderPlans: { 'core-grp': {} },
      alarmEmail: 'not-an-address',
    });

    // Act
    const run = spawnSync(process.execPath, ['bin/timescales.js', 'rules', 'check', path], {
      encoding: 'utf8',
      timeout: 30_000,
    });

    // Assess: every problem at once, the file's shape and its rules and plans.
    expect(run.status).toBe(2);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([
      `timescales: ${path}: alarmEmail: must be an email address, e.g. "timescales@example.gov.uk"`,
      expect.stringMatching(/: rules: rule "cp-visit" clock\.unit: Invalid option/),
      expect.stringMatching(/: reminderPlans: "core-grp": no rule "core-grp"/),
    ]);
  });

  it('exits 2 on a missing file or a usage error', () => {
    expect(rules('check', '/nonexistent/timescales.config.json')).toMatchObject({ code: 2 });
    expect(rules('check')).toMatchObject({ code: 2 });
    expect(rules('bogus')).toMatchObject({ code: 2 });
    expect(rules('--colour')).toMatchObject({ code: 2 });
  });
});
