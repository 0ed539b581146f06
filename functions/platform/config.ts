/**
 * Lambda configuration, read from the environment by zod, one concern at a time. Each
 * function's wiring names the parts it reads — `config(tableVars, authorityVars, …)` — so its
 * bundle holds only those variables' names (a part nobody names is left out by esbuild), and
 * the stack sets only those (`test/infra/app-stack.test.ts` holds the two together).
 * A missing or malformed value fails the start with a message naming every bad variable —
 * never a silent default.
 */
import { AuthorityConfig } from '#schemas/authority.js';
import * as z from '#schemas/zod.js';

const optional = z.optional(z.string().check(z.minLength(1)));

/** GOV.UK Notify's rate limit per API key: 3,000 requests in any 60 seconds. */
export const NOTIFY_RATE_PER_MINUTE = 3_000;

/**
 * One concern's variables: a function making its schema (environment in, what the wiring
 * reads out). A plain function, made only when read, so an unused part costs a bundle nothing.
 */
export type ConfigPart = () => z.ZodMiniType<object>;

/** The table (`DYNAMODB_ENDPOINT` in local mode only: DynamoDB Local). */
export const tableVars = () =>
  z.pipe(
    z.object({
      TABLE_NAME: z.string().check(z.minLength(3, 'TABLE_NAME must name the DynamoDB table')),
      DYNAMODB_ENDPOINT: optional.check(z.describe('local mode only: DynamoDB Local')),
    }),
    z.transform((env) => ({ tableName: env.TABLE_NAME, dynamoEndpoint: env.DYNAMODB_ENDPOINT })),
  );

/** The webhook's signing secret: the value (local mode), or its Secrets Manager ARN. */
export const webhookVars = () =>
  z.pipe(
    z.object({
      WEBHOOK_SECRET: z.optional(
        z
          .string()
          .check(
            z.regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'WEBHOOK_SECRET must be a whsec_<base64> value'),
          ),
      ),
      WEBHOOK_SECRET_ARN: z.optional(
        z.string().check(z.startsWith('arn:', 'WEBHOOK_SECRET_ARN must be an ARN')),
      ),
    }),
    z.transform((env) => ({
      webhookSecret: env.WEBHOOK_SECRET,
      webhookSecretArn: env.WEBHOOK_SECRET_ARN,
    })),
  );

/** The key ack links are signed with: the value (local mode), or its Secrets Manager ARN. */
export const alertTokenVars = () =>
  z.pipe(
    z.object({
      ALERT_TOKEN_KEY: z.optional(
        z.string().check(z.minLength(32, 'ALERT_TOKEN_KEY must have at least 32 characters')),
      ),
      ALERT_TOKEN_KEY_ARN: z.optional(
        z.string().check(z.startsWith('arn:', 'ALERT_TOKEN_KEY_ARN must be an ARN')),
      ),
    }),
    z.transform((env) => ({
      alertTokenKey: env.ALERT_TOKEN_KEY,
      alertTokenKeyArn: env.ALERT_TOKEN_KEY_ARN,
    })),
  );

/** The authority's calendar, rules, plans, links and contacts (JSON, validated here). */
export const authorityVars = () =>
  z.pipe(
    z.object({
      AUTHORITY_CONFIG: z.pipe(
        z.pipe(
          z.string({ error: 'AUTHORITY_CONFIG is required (JSON)' }),
          z.transform((text: string, ctx) => {
            try {
              return JSON.parse(text) as unknown;
            } catch {
              ctx.issues.push({
                code: 'custom',
                message: 'AUTHORITY_CONFIG is not valid JSON',
                input: text,
              });
              return z.NEVER;
            }
          }),
        ),
        AuthorityConfig,
      ),
    }),
    z.transform((env) => ({ authority: env.AUTHORITY_CONFIG })),
  );

/** Creating timers: EventBridge Scheduler's group, the role it runs as, its target and DLQ. */
export const schedulerVars = () =>
  z.pipe(
    z.object({
      SCHEDULE_GROUP: optional,
      SCHEDULER_ROLE_ARN: optional,
      TIMER_TARGET_ARN: optional,
      SCHEDULER_DLQ_ARN: optional,
    }),
    z.transform((env) => ({
      scheduler: {
        group: env.SCHEDULE_GROUP,
        roleArn: env.SCHEDULER_ROLE_ARN,
        targetArn: env.TIMER_TARGET_ARN,
        dlqArn: env.SCHEDULER_DLQ_ARN,
      },
    })),
  );

/** Cancelling timers only (acknowledging an alert): the schedule group is all it needs. */
export const scheduleGroupVars = () =>
  z.pipe(
    z.object({ SCHEDULE_GROUP: optional }),
    z.transform((env) => ({ scheduleGroup: env.SCHEDULE_GROUP })),
  );

/** Sending email: SES's From address and configuration set. */
export const emailVars = () =>
  z.pipe(
    z.object({ SES_FROM: optional, SES_CONFIGURATION_SET: optional }),
    z.transform((env) => ({
      ses: { from: env.SES_FROM, configurationSet: env.SES_CONFIGURATION_SET },
    })),
  );

/** Sending SMS: the origination identity, the configuration set, and whether replies reach us. */
export const smsVars = () =>
  z.pipe(
    z.object({
      SMS_ORIGINATION_IDENTITY: optional,
      SMS_CONFIGURATION_SET: optional,
      SMS_TWO_WAY: z._default(z.enum(['true', 'false']), 'false'),
    }),
    z.transform((env) => ({
      sms: {
        originationIdentity: env.SMS_ORIGINATION_IDENTITY,
        configurationSet: env.SMS_CONFIGURATION_SET,
        /** Replies reach us (the number's two-way channel is our inbound topic): SMS say "Reply YES". */
        twoWay: env.SMS_TWO_WAY === 'true',
      },
    })),
  );

/** Which provider sends email and SMS: AWS (SES, End User Messaging SMS) or GOV.UK Notify. */
export const messagingVars = () =>
  z.pipe(
    z.object({ MESSAGING_PROVIDER: z._default(z.enum(['aws', 'notify']), 'aws') }),
    z.transform((env) => ({ messaging: { provider: env.MESSAGING_PROVIDER } })),
  );

const uuid = z.optional(
  z.string().check(z.regex(/^[0-9a-f-]{36}$/i, 'must be a template id (a UUID)')),
);

/**
 * Sending through GOV.UK Notify: the API key (the value, local mode; else its Secrets Manager
 * ARN), the generic templates, this process's share of Notify's rate limit, and where the API
 * serves calendar invitations (Notify cannot attach them).
 */
export const notifyVars = () =>
  z.pipe(
    z.object({
      NOTIFY_API_KEY: optional.check(z.describe('local mode only: the key itself')),
      NOTIFY_API_KEY_ARN: z.optional(
        z.string().check(z.startsWith('arn:', 'NOTIFY_API_KEY_ARN must be an ARN')),
      ),
      NOTIFY_EMAIL_TEMPLATE_ID: uuid,
      NOTIFY_SMS_TEMPLATE_ID: uuid,
      NOTIFY_BASE_URL: optional.check(z.describe("local mode only: the stand-in for Notify's API")),
      NOTIFY_RATE_PER_MINUTE: z._default(
        z.string().check(z.regex(/^[1-9][0-9]{0,4}$/, 'NOTIFY_RATE_PER_MINUTE must be 1–99999')),
        String(NOTIFY_RATE_PER_MINUTE),
      ),
      INVITATION_BASE_URL: optional.check(z.describe('the API, serving /v1/invitations/…')),
    }),
    z.transform((env) => ({
      notify: {
        apiKey: env.NOTIFY_API_KEY,
        apiKeyArn: env.NOTIFY_API_KEY_ARN,
        emailTemplateId: env.NOTIFY_EMAIL_TEMPLATE_ID,
        smsTemplateId: env.NOTIFY_SMS_TEMPLATE_ID,
        baseUrl: env.NOTIFY_BASE_URL,
        ratePerMinute: Number(env.NOTIFY_RATE_PER_MINUTE),
        invitationBaseUrl: env.INVITATION_BASE_URL,
      },
    })),
  );

/** GOV.UK Notify's callbacks: their bearer token (the value, local mode; else its ARN). */
export const notifyCallbackVars = () =>
  z.pipe(
    z.object({
      NOTIFY_CALLBACK_TOKEN: z.optional(
        z.string().check(z.minLength(16, 'NOTIFY_CALLBACK_TOKEN must have at least 16 characters')),
      ),
      NOTIFY_CALLBACK_TOKEN_ARN: z.optional(
        z.string().check(z.startsWith('arn:', 'NOTIFY_CALLBACK_TOKEN_ARN must be an ARN')),
      ),
    }),
    z.transform((env) => ({
      notifyCallback: { token: env.NOTIFY_CALLBACK_TOKEN, tokenArn: env.NOTIFY_CALLBACK_TOKEN_ARN },
    })),
  );

/** Following up a send not delivered: the reminders function, invoked asynchronously. */
export const followUpVars = () =>
  z.pipe(
    z.object({
      FOLLOW_UP_FUNCTION_ARN: z
        .string({ error: 'FOLLOW_UP_FUNCTION_ARN is required' })
        .check(z.startsWith('arn:', 'FOLLOW_UP_FUNCTION_ARN must be an ARN')),
    }),
    z.transform((env) => ({ followUpFunctionArn: env.FOLLOW_UP_FUNCTION_ARN })),
  );

/** What the parts give together: one object with each part's fields. */
export type ConfigOf<P extends readonly ConfigPart[]> = UnionToIntersection<
  z.output<ReturnType<P[number]>>
>;
type UnionToIntersection<U> = (U extends unknown ? (x: U) => void : never) extends (
  x: infer I,
) => void
  ? I
  : never;

/** Every part: what local mode and the operator's commands read (they are not bundled). */
const ALL_PARTS = () =>
  [
    tableVars,
    webhookVars,
    alertTokenVars,
    authorityVars,
    schedulerVars,
    scheduleGroupVars,
    emailVars,
    smsVars,
    messagingVars,
    notifyVars,
    notifyCallbackVars,
  ] as const;

export type Config = ConfigOf<ReturnType<typeof ALL_PARTS>>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Reads `parts` from `env`; throws `ConfigError` listing every bad variable of them all. */
function read<P extends readonly ConfigPart[]>(
  env: NodeJS.ProcessEnv,
  parts: P,
  kept?: Map<ConfigPart, object>,
): ConfigOf<P> {
  const issues: string[] = [];
  const merged: object = {};
  for (const part of parts) {
    const known = kept?.get(part);
    if (known !== undefined) {
      Object.assign(merged, known);
      continue;
    }
    const result = part().safeParse(env);
    if (!result.success) {
      issues.push(
        ...result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`),
      );
      continue;
    }
    kept?.set(part, result.data);
    Object.assign(merged, result.data);
  }
  if (issues.length > 0) throw new ConfigError(`Invalid configuration:\n${issues.join('\n')}`);
  return merged as ConfigOf<P>;
}

/** Parses `parts` of `env`, afresh (tests; `config` keeps what it read). */
export function readConfig<P extends readonly ConfigPart[]>(
  env: NodeJS.ProcessEnv,
  ...parts: P
): ConfigOf<P> {
  return read(env, parts);
}

/** Parses every part of `env` (local mode, the operator's commands, tests). */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return read(env, ALL_PARTS());
}

/** Each part of the process's environment, once read (at the cold start). */
const kept = new Map<ConfigPart, object>();

/**
 * The process's configuration for the parts a function reads, each parsed on first use (the
 * Lambda cold start) and kept; a part that fails is read again by the next call.
 */
export function config<P extends readonly ConfigPart[]>(...parts: P): ConfigOf<P> {
  return read(process.env, parts, kept);
}
