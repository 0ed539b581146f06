/**
 * Loads a rule set: a preset, then the authority's overrides, validated by zod so a bad
 * configuration fails at cold start with a message naming the rule and the field.
 */

import * as z from '#schemas/zod.js';
import type { Division } from '../calendar/types.js';
import { canonicalJson, fnv1a64 } from '../ids.js';
import { DEFAULT_RULES, PRESETS, type PresetName, walesVariant } from './presets.js';
import { Rule, type RuleInput, RuleSettings } from './schema.js';

export * from './presets.js';
export * from './schema.js';
export { SOURCES } from './sources.js';

/** A validated, versioned set of rules. */
export interface RuleSet {
  readonly preset: PresetName;
  /** Hash of every rule and setting: changes whenever any of them changes. */
  readonly version: string;
  readonly rules: readonly Rule[];
  /** The rules switched off (by configuration, or not on by default in the authority's division). */
  readonly disabled: readonly Rule[];
  readonly settings: RuleSettings;
  /** The rule by id, or undefined (unknown or disabled rules are not in the set). */
  get(id: string): Rule | undefined;
  /** The version stored on a deadline of this rule: the rule's own number plus a hash. */
  ruleVersion(id: string): string;
}

/**
 * What an authority may change. `rules` merges a partial rule into the preset's rule with
 * the same id (objects merge, arrays replace) or adds a new one.
 */
export const RuleOverrides = z.strictObject({
  /** `one-working-day`: notify the LADO by close of business on the next working day. */
  ladoNotification: z.optional(z.enum(['24-hours', 'one-working-day'])),
  closureWarningWeeks: z.optional(z.number().check(z.int(), z.positive())),
  /**
   * Whose statutory guidance the Working Together clocks follow in an England and Wales
   * authority: `wales` completes an assessment within 42 working days of the referral, runs the
   * Wales Safeguarding Procedures' two child protection visit clocks and cites the 2015 Wales
   * Regulations (`walesVariant`; docs/domain.md).
   */
  nation: z.optional(z.enum(['england', 'wales'])),
  rules: z.optional(z.record(z.string(), z.record(z.string(), z.unknown()))),
});
export type RuleOverrides = z.infer<typeof RuleOverrides>;

/** A rule set that failed validation; `message` names each rule and field. */
export class RuleValidationError extends Error {
  override readonly name = 'RuleValidationError';
  constructor(
    readonly issues: string[],
    options?: { cause?: unknown },
  ) {
    super(`invalid rules:\n  ${issues.join('\n  ')}`, options);
  }
}

/** Preset names accepted by `loadRuleSet`. */
export const PRESET_NAMES = Object.keys(PRESETS) as PresetName[];

/** Where the rule set is used. */
export interface RuleSetOptions {
  /**
   * The authority's GOV.UK division: a rule with `divisions` is on by default only there.
   * @default 'england-and-wales'
   */
  division?: Division;
}

/**
 * Builds a rule set from a preset (default `southampton`) and overrides.
 * @example loadRuleSet('southampton', { ladoNotification: 'one-working-day' })
 * @example loadRuleSet('norfolk', { rules: { disagreement: { clock: { unit: 'working-days', amount: 3 } } } })
 * @example loadRuleSet('southampton', { rules: { 'cp-visit': { clock: { unit: 'weeks', amount: 2 } } } })
 * @throws RuleValidationError naming the rule id and field of every problem.
 */
export function loadRuleSet(
  preset: PresetName | string = 'southampton',
  overrides?: unknown,
  options: RuleSetOptions = {},
): RuleSet {
  if (!(preset in PRESETS)) {
    throw new RuleValidationError([
      `preset: unknown "${preset}" (known: ${PRESET_NAMES.join(', ')})`,
    ]);
  }
  const parsedOverrides = RuleOverrides.safeParse(overrides ?? {});
  if (!parsedOverrides.success) {
    throw new RuleValidationError(
      parsedOverrides.error.issues.map((i) => `overrides.${i.path.join('.')}: ${i.message}`),
    );
  }
  const o = parsedOverrides.data;
  let inputs = PRESETS[preset as PresetName](structuredClone(DEFAULT_RULES));
  if (o.ladoNotification === 'one-working-day') {
    inputs = inputs.map((r) =>
      r.id === 'lado-notification'
        ? {
            ...r,
            title: 'Notify the LADO within one working day of an allegation',
            clock: { unit: 'working-days', amount: 1 },
          }
        : r,
    );
  }
  if (o.nation === 'wales') inputs = walesVariant(inputs);
  const division = options.division ?? 'england-and-wales';
  inputs = inputs.map((r) =>
    r.divisions !== undefined && !r.divisions.includes(division) ? { ...r, enabled: false } : r,
  );
  // Reminder steps live in the reminder plans now: say where, with the rule's other problems.
  const moved: string[] = [];
  for (const [id, patch] of Object.entries(o.rules ?? {})) {
    const { reminders, ...rest } = patch;
    if (reminders !== undefined)
      moved.push(`rule "${id}" reminders: reminder steps are set under reminderPlans.${id}`);
    const i = inputs.findIndex((r) => r.id === id);
    if (i >= 0) inputs[i] = mergeOverride(inputs[i], rest) as RuleInput;
    else inputs.push({ id, ...rest } as RuleInput);
  }
  try {
    const set = buildRuleSet(preset as PresetName, inputs, {
      closureWarningWeeks: o.closureWarningWeeks,
    });
    if (moved.length > 0) throw new RuleValidationError(moved);
    return set;
  } catch (error) {
    if (error instanceof RuleValidationError && moved.length > 0 && error.issues !== moved)
      throw new RuleValidationError([...moved, ...error.issues]);
    throw error;
  }
}

/**
 * Validates a complete list of rules (e.g. read from an authority's file) into a rule set.
 * @throws RuleValidationError
 */
export function buildRuleSet(
  preset: PresetName,
  inputs: unknown[],
  settingsInput: Partial<RuleSettings> = {},
): RuleSet {
  const issues: string[] = [];
  const rules: Rule[] = [];
  const seen = new Set<string>();
  inputs.forEach((input, index) => {
    const id = input && typeof input === 'object' && 'id' in input ? String(input.id) : `#${index}`;
    const parsed = Rule.safeParse(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push(`rule "${id}" ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      return;
    }
    if (seen.has(parsed.data.id)) issues.push(`rule "${id}": duplicate id`);
    seen.add(parsed.data.id);
    rules.push(parsed.data);
  });
  const settings = RuleSettings.safeParse(
    Object.fromEntries(Object.entries(settingsInput).filter(([, v]) => v !== undefined)),
  );
  if (!settings.success) {
    for (const issue of settings.error.issues) {
      issues.push(`settings.${issue.path.join('.')}: ${issue.message}`);
    }
  }
  if (issues.length > 0 || !settings.success) throw new RuleValidationError(issues);

  const enabled = rules.filter((r) => r.enabled);
  const disabled = rules.filter((r) => !r.enabled);
  const byId = new Map(enabled.map((r) => [r.id, r]));
  const ruleVersions = new Map(
    enabled.map((r) => [r.id, `${r.version}.${fnv1a64(canonicalJson(r)).slice(0, 8)}`]),
  );
  return {
    preset,
    version: fnv1a64(canonicalJson({ rules: enabled, settings: settings.data })),
    rules: enabled,
    disabled,
    settings: settings.data,
    get: (id) => byId.get(id),
    ruleVersion: (id) => ruleVersions.get(id) ?? 'unknown',
  };
}

/** An authority's override on a default: objects merge, arrays and values replace. */
export function mergeOverride(base: unknown, patch: unknown): unknown {
  if (isPlainObject(base) && isPlainObject(patch)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(patch)) out[k] = mergeOverride(base[k], v);
    return out;
  }
  return patch === undefined ? base : patch;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
