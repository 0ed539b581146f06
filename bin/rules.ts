/**
 * `timescales rules`: the rules a deployment runs, as a safeguarding manager reviews them before
 * go-live, and a check of a configuration file.
 *
 *   timescales rules [--config timescales.config.json]   the effective rule table, as markdown
 *   timescales rules check <file>                        validate a timescales.config.json
 *
 * The table is built the way every Lambda builds its engine (`makeCaseEngine` on the file's
 * `AUTHORITY_CONFIG`), so it shows what will run: the preset, the `rules` and `ruleSettings`
 * overrides, the rules the division switches off, and each rule's reminder plan.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { quantity } from '#kernel/calendar/explain.js';
import { type BoundEngine, makeCaseEngine } from '#kernel/engine/bound.js';
import { breachOf, type ReminderPlan, type ReminderStep } from '#kernel/reminders/index.js';
import {
  type Clock,
  type EventMatcher,
  type Rule,
  SOURCE_KIND_WORDS,
  type Source,
} from '#kernel/rules/index.js';
import { authorityConfig, authorityOf, ConfigError, loadConfig } from '#lib/config.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { DEFAULT_PORT, exampleAuthority } from './local-defaults.js';

const USAGE = `Usage:
  timescales rules [--config <timescales.config.json>]
      Print the effective rule table (markdown): every rule on and off, its clock, what starts,
      meets and cancels it, its reminders and flags. Default: ./timescales.config.json when it
      exists, else the built-in defaults (preset southampton, england-and-wales).
  timescales rules check <timescales.config.json>
      Validate a configuration as cdk synth and the Lambdas do; exit 2 naming each problem.`;

/** Where output goes (a test passes its own). */
export interface RulesIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const stdio: RulesIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Runs `timescales rules …`; returns the exit code. */
export function rulesCommand(args: string[], io: RulesIo = stdio): number {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(args);
  } catch (error) {
    io.err(`timescales: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  const [sub, ...rest] = positionals;
  if (sub === 'check') {
    if (rest.length !== 1 || values.config !== undefined) {
      io.err(`timescales: rules check expects one file\n\n${USAGE}\n`);
      return 2;
    }
    return check(rest[0] as string, io);
  }
  if (sub !== undefined) {
    io.err(`timescales: unknown rules command "${sub}"\n\n${USAGE}\n`);
    return 2;
  }
  const path =
    values.config ?? (existsSync('timescales.config.json') ? 'timescales.config.json' : undefined);
  try {
    const authority: AuthorityConfig =
      path === undefined
        ? exampleAuthority(`http://127.0.0.1:${DEFAULT_PORT}`)
        : authorityOf(loadConfig(path));
    io.out(renderRuleTable(makeCaseEngine(authority), authority, path));
    return 0;
  } catch (error) {
    return problems(error, path ?? 'the defaults', io);
  }
}

function parse(args: string[]) {
  return parseArgs({
    args,
    allowPositionals: true,
    strict: true,
    options: { config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
}

function check(path: string, io: RulesIo): number {
  try {
    const config = loadConfig(path);
    authorityConfig(config);
    const engine = makeCaseEngine(authorityOf(config));
    io.out(
      `${path}: valid — ${engine.rules.rules.length} rules on, ${engine.rules.disabled.length} off\n`,
    );
    return 0;
  } catch (error) {
    return problems(error, path, io);
  }
}

/** Each problem on its own line; exit 2. */
function problems(error: unknown, source: string, io: RulesIo): number {
  if (error instanceof ConfigError) {
    const lines = error.issues.length > 0 ? error.issues : [error.message];
    for (const line of lines) io.err(`timescales: ${source}: ${line}\n`);
    return 2;
  }
  if ((error as Error).name === 'RuleValidationError') {
    for (const line of (error as { issues: string[] }).issues)
      io.err(`timescales: ${source}: ${line}\n`);
    return 2;
  }
  throw error;
}

/**
 * The rule table as markdown: one row per rule (those switched off last, marked off, and why),
 * with the clock, the events that start, meet and cancel it, its reminder plan, its flags and
 * its source; then what the deployment covers and how to switch an England-only rule on.
 */
export function renderRuleTable(
  engine: Pick<BoundEngine, 'rules' | 'plans'>,
  authority: Pick<AuthorityConfig, 'authority' | 'preset' | 'division'>,
  source?: string,
): string {
  const { rules, plans } = engine;
  const lines = [
    `Rules of ${authority.authority}: preset \`${authority.preset}\`, bank holidays of \`${authority.division}\`${source === undefined ? ' (built-in defaults)' : `, from \`${source}\``}; semantics and sources in docs/domain.md.`,
    '',
    '| rule | on | clock | starts | met by | cancelled by | reminders | flags | source |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  const englandOnly = (rule: Rule) =>
    rule.divisions !== undefined && !rule.divisions.includes(authority.division);
  for (const [rule, on] of [
    ...rules.rules.map((r) => [r, true] as const),
    ...rules.disabled.map((r) => [r, false] as const),
  ]) {
    lines.push(
      row([
        `\`${rule.id}\``,
        on ? 'on' : englandOnly(rule) ? 'off (England only)' : 'off',
        clockText(rule),
        rule.start.map(matcherText).join(', '),
        rule.stop.map(matcherText).join(', ') +
          (rule.subject === undefined ? '' : ` (same \`${rule.subject}\`)`),
        rule.cancel.map(matcherText).join(', ') || '–',
        remindersText(plans[rule.id], rule),
        flags(rule),
        sourceText(rule.source),
      ]),
    );
  }
  const off = rules.disabled.filter(englandOnly);
  if (off.length > 0) lines.push('', scopeText(authority.division, off));
  return `${lines.join('\n')}\n`;
}

function sourceText(source: Source): string {
  const citation =
    source.url === undefined ? source.citation : `[${source.citation}](${source.url})`;
  return `${SOURCE_KIND_WORDS[source.kind]}: ${citation}`;
}

/**
 * Why the England-only rules are off in a Scottish or Northern Irish authority, and how to run
 * one (the rule table of an authority in England and Wales has none off for its division).
 */
function scopeText(division: AuthorityConfig['division'], off: readonly Rule[]): string {
  const nation = division === 'scotland' ? 'Scotland' : 'Northern Ireland';
  return `Scope: this authority's division is \`${division}\`, so the England-only rules (${off.map((r) => `\`${r.id}\``).join(', ')}) are off by default: they follow England's statutory guidance, regulations and LADO role, not ${nation}'s. To run one, switch it on with \`"rules": { "<id>": { "enabled": true } }\`.`;
}

const row = (cells: string[]) => `| ${cells.map((c) => c.replaceAll('|', '\\|')).join(' | ')} |`;

function matcherText(m: EventMatcher): string {
  const narrowed = [
    m.kind === undefined ? '' : `kind: ${m.kind}`,
    m.outcome === undefined ? '' : `outcome: ${m.outcome.join(' or ')}`,
    m.conference === undefined ? '' : `conference: ${m.conference}`,
    m.seenAlone ? 'seenAlone' : '',
    m.atHome ? 'atHome' : '',
  ].filter(Boolean);
  return narrowed.length === 0 ? `\`${m.type}\`` : `\`${m.type} {${narrowed.join(', ')}}\``;
}

function amount(clock: Clock): string {
  const base = quantity(clock.amount, clock.unit);
  if (clock.unit === 'hours') return `${base} (elapsed)`;
  return clock.beginningWith ? `${base} beginning with the start day` : base;
}

const every = (clock: Clock): string =>
  clock.amount === 1 ? `every ${amount(clock).replace(/^1 /, '')}` : `every ${amount(clock)}`;

/** Each placement basis's visits, where they differ from the rule's own clocks. */
function basesText(rule: Rule): string {
  const parts = Object.entries(rule.bases ?? {}).flatMap(([basis, b]) => {
    const said = [
      b.untilReview === undefined ? '' : `${every(b.untilReview)} until the first review`,
      b.clock === undefined ? '' : `then ${every(b.clock)}`,
      b.later === undefined
        ? ''
        : `after ${quantity(b.later.afterMonths, 'months')}, ${every(b.later.clock)}`,
      b.fromPlacement === undefined ? '' : `the placement's \`${b.fromPlacement}\``,
    ].filter(Boolean);
    return said.length === 0 ? [] : [`\`${basis}\`: ${said.join(', ')}`];
  });
  return parts.length === 0 ? '' : `; by \`basis\`: ${parts.join('; ')}`;
}

function clockText(rule: Rule): string {
  const parts: string[] = [];
  if (rule.stages !== undefined) {
    parts.push(`${amount(rule.clock)} a stage, ${rule.stages.length} stages`);
  } else if (rule.while === undefined) {
    parts.push(amount(rule.clock));
    if (rule.restart) parts.push('from the latest start');
    if (rule.extend !== undefined)
      parts.push(`(extended by ${rule.extend.map(matcherText).join(', ')})`);
  } else {
    if (rule.first !== undefined) parts.push(`${amount(rule.first)} from the start, then`);
    if (rule.second !== undefined) parts.push(`${amount(rule.second)} after the first, then`);
    parts.push(every(rule.clock));
    const iv = rule.interval;
    const notes = [
      iv?.fromCase === undefined ? '' : `or the case's \`${iv.fromCase}\``,
      iv?.highRisk === undefined ? '' : `${iv.highRisk} for a high-risk case`,
      iv?.max === undefined ? '' : `at most ${iv.max}`,
    ].filter(Boolean);
    if (notes.length > 0) parts.push(`(${notes.join('; ')})`);
    if (rule.later !== undefined) {
      parts.push(
        `; after ${rule.later.afterMonths} months${rule.later.when === 'permanent' ? ' of a placement intended to last until 18' : ''}, ${every(rule.later.clock)}`,
      );
    }
    const bases = basesText(rule);
    if (bases !== '') parts.push(bases);
  }
  if (rule.hoursTeam !== undefined) parts.push(`(${rule.hoursTeam} hours)`);
  return parts.join(' ').replace(' ;', ';');
}

function stepText(step: ReminderStep): string {
  const at = step.at;
  switch (at.kind) {
    case 'start':
      return 'at the start';
    case 'before':
      return 'workingDays' in at
        ? `${at.workingDays} working day${at.workingDays === 1 ? '' : 's'} before`
        : `${at.workingHours} working hour${at.workingHours === 1 ? '' : 's'} before`;
    case 'fraction':
      return `at ${Math.round(at.fraction * 100)} %`;
    case 'on-day':
      return 'on the day';
    case 'due':
      return 'at due';
    case 'after':
      return `${at.workingDays} working day${at.workingDays === 1 ? '' : 's'} overdue`;
    case 'breach':
      return at.workingDays === 0 ? 'at the breach' : `${at.workingDays} working days after it`;
    case 'cancel-invite':
      return 'invitation withdrawn';
  }
}

/** The breach step the plan ends with, for this rule's kind of clock (docs/reminders.md). */
function breachText(plan: ReminderPlan, rule: Rule): string {
  const breach = breachOf(plan);
  const followUp = rule.safeguarding ? breach.safeguarding : breach.routine;
  const who =
    breach.to === 'plan'
      ? ''
      : breach.to === 'stage' || breach.to === 'next-stage'
        ? " to the stage's role"
        : ` to ${breach.to.map((r) => r.role).join(', ')}`;
  const escalation = followUp.escalation.map(
    (e) =>
      `${e.level === 1 ? 'manager' : 'head of service'}${e.afterWorkingDays === 0 ? '' : ` from day ${e.afterWorkingDays}`}`,
  );
  return `breach${who} (${[...escalation, followUp.repeatDaily ? 'daily' : 'once'].join(', ')})`;
}

function remindersText(plan: ReminderPlan | undefined, rule: Rule): string {
  if (plan === undefined) return 'none';
  const roles = new Set<string>();
  for (const step of plan.steps) {
    if (step.to === 'stage' || step.to === 'next-stage') roles.add("the stage's role");
    else
      for (const r of step.to)
        roles.add(
          r.escalate === 2 ? 'head of service' : r.escalate === 1 ? `${r.role}'s manager` : r.role,
        );
  }
  const steps =
    plan.steps.length === 0
      ? ''
      : `${plan.steps.map(stepText).join(', ')} → ${[...roles].join(', ')}; `;
  return `${steps}${breachText(plan, rule)}`;
}

function flags(rule: Rule): string {
  const out = [
    rule.urgent ? 'urgent' : '',
    rule.safeguarding ? 'safeguarding' : '',
    rule.recurring ? 'recurring' : '',
    rule.measure === 'dfe-working-days' ? 'reported as the DfE counts' : '',
  ].filter(Boolean);
  return out.join(', ') || '–';
}
