/**
 * Lambda configuration: read from the environment once, at cold start, by zod. A missing or
 * malformed value fails the start with a message naming the variable — never a silent default.
 */
import { AuthorityConfig } from '#schemas/authority.js';
import * as z from '#schemas/zod.js';
import { lazy } from './lazy.js';

const optional = z.optional(z.string().check(z.minLength(1)));

const EnvVars = z.object({
  TABLE_NAME: z.string().check(z.minLength(3, 'TABLE_NAME must name the DynamoDB table')),
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
  ALERT_TOKEN_KEY: z.optional(
    z.string().check(z.minLength(32, 'ALERT_TOKEN_KEY must have at least 32 characters')),
  ),
  ALERT_TOKEN_KEY_ARN: z.optional(
    z.string().check(z.startsWith('arn:', 'ALERT_TOKEN_KEY_ARN must be an ARN')),
  ),
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
  DYNAMODB_ENDPOINT: optional.check(z.describe('local mode only: DynamoDB Local')),
  SCHEDULE_GROUP: optional,
  SCHEDULER_ROLE_ARN: optional,
  TIMER_TARGET_ARN: optional,
  SCHEDULER_DLQ_ARN: optional,
  SES_FROM: optional,
  SES_CONFIGURATION_SET: optional,
  SMS_ORIGINATION_IDENTITY: optional,
  SMS_CONFIGURATION_SET: optional,
  SMS_TWO_WAY: z._default(z.enum(['true', 'false']), 'false'),
  POWERTOOLS_SERVICE_NAME: z._default(z.string(), 'timescales'),
  LOG_LEVEL: z._default(z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT']), 'INFO'),
});

const Env = z.pipe(
  EnvVars,
  z.transform((env: z.output<typeof EnvVars>) => ({
    tableName: env.TABLE_NAME,
    webhookSecret: env.WEBHOOK_SECRET,
    webhookSecretArn: env.WEBHOOK_SECRET_ARN,
    alertTokenKey: env.ALERT_TOKEN_KEY,
    alertTokenKeyArn: env.ALERT_TOKEN_KEY_ARN,
    authority: env.AUTHORITY_CONFIG,
    dynamoEndpoint: env.DYNAMODB_ENDPOINT,
    scheduler: {
      group: env.SCHEDULE_GROUP,
      roleArn: env.SCHEDULER_ROLE_ARN,
      targetArn: env.TIMER_TARGET_ARN,
      dlqArn: env.SCHEDULER_DLQ_ARN,
    },
    ses: { from: env.SES_FROM, configurationSet: env.SES_CONFIGURATION_SET },
    sms: {
      originationIdentity: env.SMS_ORIGINATION_IDENTITY,
      configurationSet: env.SMS_CONFIGURATION_SET,
      /** Replies reach us (the number's two-way channel is our inbound topic): SMS say "Reply YES". */
      twoWay: env.SMS_TWO_WAY === 'true',
    },
    serviceName: env.POWERTOOLS_SERVICE_NAME,
    logLevel: env.LOG_LEVEL,
  })),
);

export type Config = z.infer<typeof Env>;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses `env`; throws `ConfigError` listing every bad variable. */
export function parseConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = Env.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return result.data;
}

/** The process's configuration, parsed on first use (the Lambda cold start) and kept. */
export const config: () => Config = lazy(() => parseConfig());
