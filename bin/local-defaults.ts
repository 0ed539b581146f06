/** Local mode's defaults, shared by `npm start` (bin/local.ts) and the operator CLI. */
import { existsSync } from 'node:fs';
import { authorityConfig, loadConfig } from '#lib/config.js';

/** The authority local mode uses when there is no `timescales.config.json` to read. */
export const DEFAULT_AUTHORITY = {
  authority: 'Example Council (local)',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'http://localhost:3000/v1/cases/{caseId}' },
};

/**
 * The `AUTHORITY_CONFIG` `npm start` and `npx timescales … --endpoint` use unless
 * AUTHORITY_CONFIG is set: the deployment's `timescales.config.json` (or `TIMESCALES_CONFIG`),
 * validated as `cdk synth` does, so editing the file changes local behaviour; the built-in
 * example authority when there is no such file.
 * @throws ConfigError naming each bad field of the file.
 */
export function localAuthorityConfig(
  path = process.env.TIMESCALES_CONFIG ?? 'timescales.config.json',
): string {
  if (!existsSync(path)) return JSON.stringify(DEFAULT_AUTHORITY);
  return authorityConfig(loadConfig(path));
}

/** The table `npm start` creates unless TABLE_NAME is set. */
export const DEFAULT_TABLE = 'timescales-local';
