/**
 * Per-authority deployment configuration (`timescales.config.json`), validated by zod at synth
 * time. One file per deployment: the council's IT team edits it, `cdk synth` refuses bad values
 * with a message that names the field and says what is wrong.
 */
import { readFileSync } from 'node:fs';
import * as z from 'zod';
import { DIVISIONS } from '#kernel/calendar/types.js';
import { loadRulesAndPlans } from '#kernel/reminders/overrides.js';
import { RuleValidationError } from '#kernel/rules/index.js';
import { AlertTokenConfigError, macBytesFor } from '#platform/alert-token.js';
import { AckWithinMinutes, type AuthorityConfig, AuthorityShortName } from '#schemas/authority.js';
import {
  email,
  emailSchema,
  messagingIssues,
  messagingSchema,
  notifySchema,
  smsSchema,
} from './config-messaging.js';
import { isoDate, webSchema, weeklyHours } from './config-parts.js';

/** Log retention values CloudWatch Logs accepts. */
const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const RULE_PRESETS = ['southampton', 'norfolk'] as const;

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    /** Short id used in stack names: lower-case letters, digits and hyphens. */
    deployment: z
      .string()
      .regex(
        /^[a-z][a-z0-9-]{1,30}[a-z0-9]$/,
        'must be 3–32 lower-case letters, digits or hyphens, starting with a letter (it names the stacks)',
      ),
    /** The authority's name as it appears in messages. */
    authority: z.string().trim().min(2, 'must name the authority').max(120),
    /** The council's name in text messages (under 20 characters); absent: `authority`. */
    shortName: z.optional(AuthorityShortName),
    division: z.enum(DIVISIONS, {
      message: `must be one of ${DIVISIONS.map((d) => `"${d}"`).join(', ')} (the GOV.UK bank-holiday division)`,
    }),
    preset: z.enum(RULE_PRESETS, {
      message: `must be one of ${RULE_PRESETS.map((p) => `"${p}"`).join(', ')}`,
    }),
    officeHours: weeklyHours.optional(),
    teamHours: z
      .record(z.string(), weeklyHours)
      .superRefine((teams, ctx) => {
        for (const team of Object.keys(teams)) {
          if (!/^[a-z][a-z0-9-]*$/.test(team)) {
            ctx.addIssue({
              code: 'custom',
              path: [team],
              message: 'team ids are lower-case kebab-case, e.g. "building-bridges"',
            });
          }
        }
      })
      .optional(),
    closures: z.array(isoDate).optional(),
    /**
     * Per-rule overrides by rule id (objects merge into the preset's rule, arrays replace), e.g.
     * `{ "cp-visit": { "clock": { "unit": "weeks", "amount": 2 } }, "assessment": { "enabled": false } }`;
     * an unknown id adds a rule. Validated by the rule engine (docs/rules.md).
     */
    rules: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    /** Rule-set variants and settings (docs/rules.md). */
    ruleSettings: z
      .object({
        /** `one-working-day`: notify the LADO by close of business on the next working day. */
        ladoNotification: z.enum(['24-hours', 'one-working-day']).optional(),
        /** Warn when a case with joint working closes without a joint supervision in this many weeks. */
        closureWarningWeeks: z.number().int().positive().optional(),
        /** `wales`: the Wales variants of the Working Together clocks (docs/domain.md). */
        nation: z.enum(['england', 'wales']).optional(),
      })
      .strict()
      .optional(),
    /**
     * Reminder-plan overrides by rule id (objects merge into the default plan, arrays — `steps`
     * — replace), e.g. `{ "cp-visit": { "steps": [{ "key": "b1wd", "at": { "kind": "before",
     * "workingDays": 1 }, "to": [{ "role": "allocated-worker" }] }] } }` (docs/reminders.md).
     */
    reminderPlans: z.record(z.string(), z.unknown()).optional(),
    /** Who sends email and SMS, and each provider's settings (`config-messaging.ts`). */
    messaging: messagingSchema,
    notify: notifySchema.optional(),
    email: emailSchema.optional(),
    /** Subscribed to the alarm topic (the subscription must be confirmed from the inbox). */
    alarmEmail: email,
    sms: smsSchema.optional(),
    links: z
      .object({
        caseUrlTemplate: z
          .url({ protocol: /^https$/, message: 'must be an https URL' })
          .refine((u) => u.includes('{caseId}'), {
            message: 'must contain the placeholder {caseId}',
          }),
        /**
         * Where ack links point: `<ackBaseUrl>/a/<token>`, at most 60 characters in all (an
         * SMS has 160), so a short custom domain mapped to this deployment's HTTP API.
         */
        ackBaseUrl: z
          .url({
            protocol: /^https$/,
            message: 'must be an https URL, e.g. "https://ack.example.gov.uk"',
          })
          .superRefine((u, ctx) => {
            if (/[?#]/.test(u)) {
              ctx.addIssue({ code: 'custom', message: 'must have no query or fragment' });
              return;
            }
            try {
              macBytesFor(u);
            } catch (error) {
              if (!(error instanceof AlertTokenConfigError)) throw error;
              ctx.addIssue({ code: 'custom', message: error.message });
            }
          }),
      })
      .strict(),
    /**
     * How long an urgent out-of-hours alert waits for acknowledgement before the senior manager
     * on call (tier 2 of the rota) hears of it; as long again before the fallback contact does.
     */
    ackWithinMinutes: AckWithinMinutes,
    /**
     * The service's duty inbox: reminders that reach nobody they were meant for (no worker in
     * the role, an unknown person, nobody on the EDT rota) go here at once, saying what is
     * missing. `phone` (E.164) also gets the urgent ones by SMS.
     */
    fallbackContact: z
      .object(
        {
          email: z.email({
            message:
              'must be an email address: the duty inbox that reminders reaching nobody go to, e.g. "duty.inbox@example.gov.uk"',
          }),
          phone: z
            .string()
            .regex(/^\+[1-9][0-9]{7,14}$/, 'must be an E.164 phone number, e.g. "+447700900123"')
            .optional(),
        },
        {
          message:
            'is required: { "email": "<duty inbox>" } — where reminders that reach nobody go',
        },
      )
      .strict(),
    logRetentionDays: z
      .number()
      .int()
      .refine((n) => (RETENTION_DAYS as readonly number[]).includes(n), {
        message: `must be one of CloudWatch's retention values: ${RETENTION_DAYS.join(', ')}`,
      })
      .default(365),
    api: z
      .object({
        rateLimit: z.number().positive().max(10_000).default(50),
        burstLimit: z.number().int().positive().max(5_000).default(100),
      })
      .strict()
      .default({ rateLimit: 50, burstLimit: 100 }),
    /**
     * Reserved concurrency. A new AWS account's concurrency quota (often 10) cannot reserve
     * these; set a value to null to leave that function unreserved.
     */
    concurrency: z
      .object({
        events: z.number().int().positive().nullable().default(20),
        reminders: z.number().int().positive().nullable().default(5),
      })
      .strict()
      .default({ events: 20, reminders: 5 }),
    /**
     * The managers' pages (`/app`): sign-in through the council's identity provider, federated
     * by a Cognito user pool. Omit it and the pages are not deployed (the API is unchanged).
     */
    web: webSchema.optional(),
    /** The bucket a council drops files into for import (docs/import.md). */
    dropBucket: z
      .object({
        /** Days a dropped file, its report and each older version are kept. */
        expireAfterDays: z
          .number()
          .int('must be a whole number of days')
          .min(1, 'must be at least 1 day')
          .max(3650, 'must be at most 3650 days (ten years)')
          .default(30),
      })
      .strict()
      .default({ expireAfterDays: 30 }),
    /** Pin the stacks to an account/region; omit for environment-agnostic stacks. */
    env: z
      .object({
        account: z
          .string()
          .regex(/^\d{12}$/, 'must be a 12-digit AWS account id')
          .optional(),
        region: z
          .string()
          .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, 'must be an AWS region, e.g. "eu-west-2"')
          .optional(),
      })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((config, ctx) => {
    // Each provider needs its own settings, and takes no other's.
    for (const issue of messagingIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
    // The Lambdas validate the same overrides at cold start; refusing them here fails `cdk synth`.
    for (const issue of ruleIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** The rule and reminder-plan problems of a configuration, each naming the rule and the field. */
function ruleIssues(config: {
  preset: string;
  division: (typeof DIVISIONS)[number];
  rules?: Record<string, Record<string, unknown>> | undefined;
  ruleSettings?: Record<string, unknown> | undefined;
  reminderPlans?: Record<string, unknown> | undefined;
}): { path: string[]; message: string }[] {
  try {
    loadRulesAndPlans({
      preset: config.preset,
      division: config.division,
      rules: ruleOverrides(config),
      reminderPlans: config.reminderPlans,
    });
    return [];
  } catch (error) {
    if (!(error instanceof RuleValidationError)) throw error;
    return error.issues.map((issue) =>
      issue.startsWith('reminderPlans ')
        ? { path: ['reminderPlans'], message: issue.slice('reminderPlans '.length) }
        : { path: ['rules'], message: issue },
    );
  }
}

/** The rule engine's overrides (`RuleOverrides`) from the file's `rules` and `ruleSettings`. */
function ruleOverrides(config: {
  rules?: Record<string, Record<string, unknown>> | undefined;
  ruleSettings?: Record<string, unknown> | undefined;
}): Record<string, unknown> | undefined {
  if (config.rules === undefined && config.ruleSettings === undefined) return undefined;
  return {
    ...(config.ruleSettings ?? {}),
    ...(config.rules === undefined ? {} : { rules: config.rules }),
  };
}

export type TimescalesConfig = z.infer<typeof configSchema>;
export type TimescalesConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly issues: string[],
  ) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses a configuration object; throws `ConfigError` listing every bad field. */
export function parseConfig(raw: unknown, source = 'configuration'): TimescalesConfig {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => {
    const path = issue.path.map(String).join('.') || '(top level)';
    const missing = issue.code === 'invalid_type' && issue.message.endsWith('received undefined');
    return `${path}: ${missing ? 'is required' : issue.message}`;
  });
  throw new ConfigError(`Invalid ${source}:\n  - ${issues.join('\n  - ')}`, issues);
}

/** Reads and validates `timescales.config.json` (or another path). */
export function loadConfig(path: string): TimescalesConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new ConfigError(`Cannot read ${path}: ${(cause as Error).message}`, []);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new ConfigError(`${path} is not valid JSON: ${(cause as Error).message}`, []);
  }
  return parseConfig(raw, path);
}

/**
 * The most `AUTHORITY_CONFIG` may hold: a Lambda's whole environment stops at 4 KB, and the
 * table, scheduler, SES and SMS variables need the rest.
 */
export const AUTHORITY_CONFIG_MAX_BYTES = 3_000;

/**
 * The `AUTHORITY_CONFIG` the Lambdas read (see docs/architecture.md): every Lambda and local
 * mode build their calendar, rules and reminder plans from it.
 * @throws ConfigError when the overrides make it too large for a Lambda's environment.
 */
export function authorityConfig(config: TimescalesConfig): string {
  const json = JSON.stringify(authorityOf(config));
  const bytes = Buffer.byteLength(json);
  if (bytes > AUTHORITY_CONFIG_MAX_BYTES) {
    const issue = `rules, reminderPlans: the authority's configuration is ${bytes} bytes as AUTHORITY_CONFIG, more than the ${AUTHORITY_CONFIG_MAX_BYTES} a Lambda's 4 KB environment leaves for it; override fewer fields`;
    throw new ConfigError(`Invalid configuration:\n  - ${issue}`, [issue]);
  }
  return json;
}

/** The part of the configuration the Lambdas read (`AuthorityConfig`), as an object. */
export function authorityOf(config: TimescalesConfig): AuthorityConfig {
  const rules = ruleOverrides(config);
  return {
    authority: config.authority,
    ...(config.shortName === undefined ? {} : { shortName: config.shortName }),
    division: config.division,
    preset: config.preset,
    ...(config.officeHours === undefined ? {} : { officeHours: config.officeHours }),
    ...(config.teamHours === undefined ? {} : { teamHours: config.teamHours }),
    ...(config.closures === undefined ? {} : { closures: config.closures }),
    ...(rules === undefined ? {} : { rules }),
    ...(config.reminderPlans === undefined ? {} : { reminderPlans: config.reminderPlans }),
    links: {
      caseUrlTemplate: config.links.caseUrlTemplate,
      ...(config.links.ackBaseUrl === undefined ? {} : { ackBaseUrl: config.links.ackBaseUrl }),
    },
    fallbackContact: config.fallbackContact,
    ackWithinMinutes: config.ackWithinMinutes,
  };
}
