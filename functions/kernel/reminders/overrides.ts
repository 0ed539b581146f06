/**
 * An authority's reminder plans: the defaults with its `reminderPlans` overrides, validated at
 * cold start (and by `cdk synth`) so a bad override names the rule and the field.
 */

import { WorkerRole } from '#schemas/events.js';
import * as z from '#schemas/zod.js';
import type { Division } from '../calendar/types.js';
import {
  DEFAULT_RULES,
  loadRuleSet,
  mergeOverride,
  type RuleSet,
  RuleValidationError,
} from '../rules/index.js';
import { DEFAULT_REMINDER_PLANS } from './plans.js';
import type { ReminderPlan, ReminderPlans } from './types.js';

const count = () =>
  z.number().check(z.int('must be a whole number'), z.positive('must be positive'));

const Recipient = z.strictObject({
  role: WorkerRole,
  escalate: z.optional(z.union([z.literal(0), z.literal(1), z.literal(2)])),
});

const At = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('start') }),
  z
    .strictObject({
      kind: z.literal('before'),
      workingDays: z.optional(count()),
      workingHours: z.optional(count()),
    })
    .check(
      z.refine((at) => (at.workingDays === undefined) !== (at.workingHours === undefined), {
        message: 'a "before" step names either workingDays or workingHours',
      }),
    ),
  z.strictObject({
    kind: z.literal('fraction'),
    fraction: z.number().check(z.gt(0, 'fraction must be > 0'), z.lt(1, 'fraction must be < 1')),
  }),
  z.strictObject({ kind: z.literal('on-day') }),
  z.strictObject({ kind: z.literal('due') }),
  z.strictObject({ kind: z.literal('after'), workingDays: count() }),
]);

const Step = z.strictObject({
  key: z
    .string()
    .check(
      z.regex(/^[a-z0-9-]{1,16}$/, 'lower-case letters, digits and - (≤ 16): it names timers'),
    ),
  at: At,
  // Recipients are checked one by one below, so a wrong role is named (a union says only "invalid").
  to: z.union([z.array(z.unknown()), z.literal('stage'), z.literal('next-stage')]),
  urgent: z.optional(z.boolean()),
});

/** What a breach adds for one kind of clock (`BreachFollowUp`): both fields, or none. */
const BreachFollowUp = z.strictObject({
  escalation: z.array(
    z.strictObject({
      level: z.union([z.literal(1), z.literal(2)]),
      afterWorkingDays: z.number().check(z.int('must be a whole number'), z.nonnegative()),
    }),
  ),
  repeatDaily: z.boolean(),
});

/** A plan's breach step (`Partial<BreachPlan>`): the fields it names replace `DEFAULT_BREACH`'s. */
const Breach = z.strictObject({
  to: z.optional(
    z.union([z.literal('plan'), z.literal('stage'), z.literal('next-stage'), z.array(z.unknown())]),
  ),
  safeguarding: z.optional(BreachFollowUp),
  routine: z.optional(BreachFollowUp),
});

/** A reminder plan as configuration gives it (after merging onto the default). */
export const ReminderPlanSchema = z
  .strictObject({
    rule: z.string(),
    title: z.string().check(z.minLength(1, 'must not be empty')),
    action: z.string().check(z.minLength(1, 'must not be empty')),
    clock: z.enum(['elapsed', 'working']),
    urgent: z.optional(z.boolean()),
    invite: z.optional(z.boolean()),
    steps: z.array(Step),
    stageRecipients: z.optional(z.array(z.array(Recipient))),
    breach: z.optional(Breach),
  })
  .check(
    z.superRefine((plan, ctx) => {
      if (Array.isArray(plan.breach?.to)) {
        plan.breach.to.forEach((recipient, j) => {
          for (const issue of Recipient.safeParse(recipient).error?.issues ?? []) {
            ctx.addIssue({
              code: 'custom',
              path: ['breach', 'to', j, ...issue.path],
              message: issue.message,
            });
          }
        });
      }
      const seen = new Set<string>();
      plan.steps.forEach((step, i) => {
        if (Array.isArray(step.to)) {
          step.to.forEach((recipient, j) => {
            const parsed = Recipient.safeParse(recipient);
            for (const issue of parsed.error?.issues ?? []) {
              ctx.addIssue({
                code: 'custom',
                path: ['steps', i, 'to', j, ...issue.path],
                message: issue.message,
              });
            }
          });
        }
        if (seen.has(step.key)) {
          ctx.addIssue({
            code: 'custom',
            path: ['steps', i, 'key'],
            message: `"${step.key}" is already the key of another step`,
          });
        }
        seen.add(step.key);
      });
    }),
  );

/**
 * The plans for a rule set: the defaults, each patched by the authority's override for its
 * rule (objects merge, arrays replace: `steps` is replaced whole), or a whole new plan for a
 * rule the authority added.
 * @param overrides `reminderPlans` from the authority's configuration (unvalidated).
 * @param ruleIds every rule of the rule set, on or off: an override for another id is refused.
 * @throws RuleValidationError naming the rule and field of every problem.
 */
export function loadReminderPlans(overrides: unknown, ruleIds: readonly string[]): ReminderPlans {
  const plans: Record<string, ReminderPlan> = { ...DEFAULT_REMINDER_PLANS };
  if (overrides === undefined) return plans;
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new RuleValidationError(['reminderPlans: must be an object keyed by rule id']);
  }
  const issues: string[] = [];
  for (const [id, patch] of Object.entries(overrides)) {
    if (!ruleIds.includes(id)) {
      issues.push(`reminderPlans "${id}": no rule "${id}" (rules: ${ruleIds.join(', ')})`);
      continue;
    }
    if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
      issues.push(`reminderPlans "${id}": must be an object (fields of the plan to change)`);
      continue;
    }
    if ('rule' in patch && patch.rule !== id) {
      issues.push(`reminderPlans "${id}" rule: must be "${id}" (or left out)`);
      continue;
    }
    const merged = mergeOverride(plans[id] ?? { rule: id }, { ...patch, rule: id });
    const parsed = ReminderPlanSchema.safeParse(merged);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        issues.push(`reminderPlans "${id}" ${issue.path.join('.') || '(root)'}: ${issue.message}`);
      }
      continue;
    }
    plans[id] = parsed.data as ReminderPlan;
  }
  if (issues.length > 0) throw new RuleValidationError(issues);
  return plans;
}

/**
 * An authority's rule set and reminder plans from its configuration (`AUTHORITY_CONFIG`, or
 * `timescales.config.json` through `lib/config.ts`), validated together.
 * @throws RuleValidationError listing every problem of both — `rule "<id>" <field>: …` and
 *   `reminderPlans "<id>" <field>: …` — so one attempt shows them all.
 */
export function loadRulesAndPlans(authority: {
  preset: string;
  division: Division;
  rules?: unknown;
  reminderPlans?: unknown;
}): { rules: RuleSet; plans: ReminderPlans } {
  const issues: string[] = [];
  let rules: RuleSet | undefined;
  try {
    rules = loadRuleSet(authority.preset, authority.rules, { division: authority.division });
  } catch (error) {
    if (!(error instanceof RuleValidationError)) throw error;
    issues.push(...error.issues);
  }
  // With the rules refused, the plans are checked against every id the presets and overrides name.
  const ids =
    rules === undefined
      ? [...new Set([...DEFAULT_RULES.map((r) => r.id), ...overriddenIds(authority.rules)])]
      : [...rules.rules, ...rules.disabled].map((r) => r.id);
  let plans: ReminderPlans | undefined;
  try {
    plans = loadReminderPlans(authority.reminderPlans, ids);
  } catch (error) {
    if (!(error instanceof RuleValidationError)) throw error;
    issues.push(...error.issues);
  }
  if (issues.length > 0 || rules === undefined || plans === undefined)
    throw new RuleValidationError(issues);
  return { rules, plans };
}

function overriddenIds(overrides: unknown): string[] {
  const rules = (overrides as { rules?: unknown } | undefined)?.rules;
  return typeof rules === 'object' && rules !== null ? Object.keys(rules) : [];
}
