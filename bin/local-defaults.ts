/**
 * Local mode's defaults, shared by `npm start` (bin/local.ts), `npm run demo`, the operator
 * CLI's `--endpoint` mode and `npx timescales send`, so each names them once.
 */
import { existsSync } from 'node:fs';
import { authorityOf, loadConfig } from '#lib/config.js';
import type { AuthorityConfig } from '#schemas/authority.js';

/** The port `npm start` serves on unless PORT is set. */
export const DEFAULT_PORT = 3000;

/** The table `npm start` creates unless TABLE_NAME is set. */
export const DEFAULT_TABLE = 'timescales-local';

/** Where `npm start` keeps DynamoDB Local's files unless DATA_DIR is set. */
export const DEFAULT_DATA_DIR = '.local/dynamodb';

/**
 * The webhook secret `npm start` uses unless WEBHOOK_SECRET is set: fixed and printed, so the
 * demo and `npx timescales send` sign with it by default. Fine on a laptop, never deployed.
 */
export const DEV_WEBHOOK_SECRET = `whsec_${Buffer.from('timescales-local-development-key').toString('base64')}`;

/**
 * The key `npm start` signs ack links with unless ALERT_TOKEN_KEY is set (in AWS it is a
 * Secrets Manager secret): fixed, so links survive a restart. Fine on a laptop, never deployed.
 */
export const DEV_ALERT_TOKEN_KEY = 'timescales-local-development-alert-token-key';

/**
 * Local mode's duty inbox: reminders that reach nobody they were meant for go here (see
 * GET /local/outbox). Used too when an AUTHORITY_CONFIG given to `npm start` names none.
 */
export const DEFAULT_FALLBACK_CONTACT = { email: 'duty.inbox@example.gov.uk' };

/**
 * The authority local mode uses unless AUTHORITY_CONFIG is set: the deployment's
 * `timescales.config.json` (or the file `TIMESCALES_CONFIG` names), validated as `cdk synth`
 * does, so editing it changes local behaviour — division, preset, hours, closures, `rules`,
 * `ruleSettings`, `reminderPlans` and the fallback contact; without the file, the built-in
 * example authority. Its case links point at the local server's own case page, `/app/cases/{caseId}` (the council's
 * case system is not there) and its ack links at the server's ack pages, so `baseUrl` must be
 * the address the server really serves on.
 * @throws ConfigError naming each bad field of the file.
 */
export function localAuthority(
  baseUrl: string,
  path = process.env.TIMESCALES_CONFIG ?? 'timescales.config.json',
): AuthorityConfig {
  const links = { caseUrlTemplate: `${baseUrl}/app/cases/{caseId}`, ackBaseUrl: baseUrl };
  if (!existsSync(path)) return exampleAuthority(baseUrl);
  return { ...authorityOf(loadConfig(path)), links };
}

/** The built-in example authority: Southampton's rules, England and Wales, office hours. */
export function exampleAuthority(baseUrl: string): AuthorityConfig {
  return {
    authority: 'Example Council (local)',
    division: 'england-and-wales',
    preset: 'southampton',
    links: { caseUrlTemplate: `${baseUrl}/app/cases/{caseId}`, ackBaseUrl: baseUrl },
    fallbackContact: DEFAULT_FALLBACK_CONTACT,
  };
}

/**
 * Where a running `npm start` answers, for the tools that talk to it: BASE_URL, else the
 * loopback address on PORT (the server binds 127.0.0.1 by default).
 */
export function localBaseUrl(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.BASE_URL ?? `http://127.0.0.1:${env.PORT ?? DEFAULT_PORT}`;
  return base.replace(/\/+$/, '');
}
