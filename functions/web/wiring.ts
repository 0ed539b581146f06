/**
 * The web Lambda's dependencies (the managers' pages under `/app`). `webDeps` is shared by AWS
 * and local mode; they differ in the sign-in (`auth`: Cognito in AWS, the local sign-in form
 * under `npm start`), the clock (local mode's is simulated) and Secure cookies.
 */
import { fileURLToPath } from 'node:url';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { readDeps } from '#functions/read/wiring.js';
import { DEFAULT_GROUPS, type GroupMapping, ROLES } from '#kernel/access.js';
import type { BoundSettings } from '#kernel/engine/calendars.js';
import { type Clock, systemClock } from '#kernel/ports.js';
import { documentClient } from '#platform/aws.js';
import { authorityVars, config, tableVars } from '#platform/config.js';
import { DynamoAlertStore } from '#platform/dynamodb/alerts.js';
import { DynamoCasePeople } from '#platform/dynamodb/case-people.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { DynamoReportStore } from '#platform/dynamodb/report-store.js';
import { DynamoDigestStore } from '#platform/dynamodb/timer-store.js';
import { settingsWithStoredFeed } from '#platform/engine.js';
import { powertoolsLog } from '#platform/logger.js';
import { loadAssets } from '#platform/pages/assets.js';
import { makeRenderer } from '#platform/pages/render.js';
import { webResources } from '#platform/pages/resources.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import * as z from '#schemas/zod.js';
import { cognitoAuth, type WebAuth } from './auth.js';
import { peopleByGeneration } from './directory-lists.js';
import type { WebDeps } from './page.js';

export interface WebWiring {
  client: DynamoDBDocumentClient;
  tableName: string;
  engine: BoundSettings;
  /** Its name heads every page; its fallback contact shows in the reminders view. */
  authority?:
    | (Pick<AuthorityConfig, 'fallbackContact'> & Partial<Pick<AuthorityConfig, 'authority'>>)
    | undefined;
  auth: WebAuth;
  clock?: Clock;
  secureCookies: boolean;
  groups?: GroupMapping;
}

export function webDeps(wiring: WebWiring): WebDeps {
  const { client, tableName, engine } = wiring;
  const read = readDeps({ client, tableName, engine, authority: wiring.authority });
  const directory = new DynamoDirectory(client, tableName);
  const reports = new DynamoReportStore(client, tableName);
  const people = peopleByGeneration(directory);
  const clock = wiring.clock ?? systemClock;
  const resources = webResources([fileURLToPath(new URL('./views', import.meta.url))]);
  return {
    views: {
      store: read.store,
      read,
      directory,
      alerts: new DynamoDigestStore(client, tableName),
      acks: new DynamoAlertStore(client, tableName),
      rules: engine.rules,
      clock,
      people,
    },
    reports: { reports, rules: engine.rules },
    viewer: {
      people,
      directory,
      groups: wiring.groups ?? DEFAULT_GROUPS,
      cases: new DynamoCasePeople(client, tableName),
    },
    auth: wiring.auth,
    render: makeRenderer(resources),
    assets: loadAssets(resources.govukDist),
    authority: wiring.authority?.authority ?? 'Local council',
    secureCookies: wiring.secureCookies,
    clock,
    log: powertoolsLog,
  };
}

const GroupList = z.array(z.string().check(z.minLength(1)));

/** The web Lambda's own variables, set by the CDK stack; a missing one fails the start. */
export const WebEnvironment = z.object({
  COGNITO_USER_POOL_ID: z.string().check(z.regex(/^[\w-]+_[0-9a-zA-Z]+$/)),
  COGNITO_CLIENT_ID: z.string().check(z.minLength(1)),
  COGNITO_DOMAIN: z.string().check(z.regex(/^https:\/\/[^/]+$/, 'an https origin')),
  COGNITO_IDENTITY_PROVIDER: z.optional(z.string()),
  /** JSON: `{ "team-manager": [...], "head-of-service": [...], "edt": [...] }`. */
  WEB_GROUPS: z.optional(z.string()),
});

/** Whether the Cognito configuration is in force (then local sign-in is refused). */
export function cognitoConfigured(env: NodeJS.ProcessEnv): boolean {
  return env.COGNITO_USER_POOL_ID !== undefined || env.COGNITO_CLIENT_ID !== undefined;
}

export function groupsFrom(json: string | undefined): GroupMapping {
  if (json === undefined) return DEFAULT_GROUPS;
  const parsed = z
    .object(
      Object.fromEntries(ROLES.map((r) => [r, GroupList])) as Record<
        (typeof ROLES)[number],
        typeof GroupList
      >,
    )
    .parse(JSON.parse(json));
  return parsed as GroupMapping;
}

/** The web Lambda in AWS, from the environment. */
export async function awsWebDeps(env: NodeJS.ProcessEnv = process.env): Promise<WebDeps> {
  const web = WebEnvironment.parse(env);
  const cfg = config(tableVars, authorityVars);
  return webDeps({
    client: documentClient(),
    tableName: cfg.tableName,
    // Reading cases needs the rules, plans and calendars, not the engine that applies events.
    engine: await settingsWithStoredFeed(documentClient(), cfg.tableName, cfg.authority),
    authority: cfg.authority,
    auth: cognitoAuth({
      userPoolId: web.COGNITO_USER_POOL_ID,
      clientId: web.COGNITO_CLIENT_ID,
      domain: web.COGNITO_DOMAIN,
      identityProvider: web.COGNITO_IDENTITY_PROVIDER,
    }),
    secureCookies: true,
    groups: groupsFrom(web.WEB_GROUPS),
  });
}
