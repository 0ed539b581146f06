/**
 * `npm start`: the service on one machine. Starts DynamoDB Local with its data under DATA_DIR
 * (a restart loses nothing), creates the table if missing and serves the Lambda handlers on
 * PORT. Every port is checked before anything starts, and whatever started is stopped again
 * if a later step fails, so a failed start leaves no DynamoDB Local (a Java process) behind.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { startLocalServer } from '#functions/local/server.js';
import {
  openSchedulerStore,
  probePort,
  startDynamoDbLocal,
  startSesLocal,
} from '#functions/local/standins.js';
import { plural } from '#kernel/glossary.js';
import { dynamoClientConfig, makeDocumentClient } from '#platform/clients.js';
import { parseConfig } from '#platform/config.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { engineWithStoredFeed } from '#platform/engine.js';
import {
  DEFAULT_DATA_DIR,
  DEFAULT_FALLBACK_CONTACT,
  DEFAULT_PORT,
  DEFAULT_TABLE,
  DEV_ALERT_TOKEN_KEY,
  DEV_WEBHOOK_SECRET,
  localAuthority,
} from './local-defaults.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'eu-west-2';

const HELP = `Usage: npm start   (the same as: npx tsx bin/local.ts)

Runs Timescales on this machine: DynamoDB Local (Java 17+), aws-ses-v2-local, the local
timer driver and the Lambda handlers behind one HTTP server. Stop it with Ctrl-C.

Environment:
  PORT              HTTP port (default ${DEFAULT_PORT}; 0 picks a free one)
  HOST              address to bind (default 127.0.0.1)
  DATA_DIR          DynamoDB Local's files (default ${DEFAULT_DATA_DIR}); a new directory starts empty
  WEBHOOK_SECRET    whsec_… signing secret (default: a fixed development secret, printed)
  ALERT_TOKEN_KEY   the key ack links are signed with, 32+ characters (default: a fixed development key)
  TABLE_NAME        the table (default ${DEFAULT_TABLE})
  AUTHORITY_CONFIG  the authority as JSON (default: an example council in England and Wales)
  DYNAMODB_PORT     DynamoDB Local's port (default: a free one)
  SES_PORT          aws-ses-v2-local's port (default: a free one)
  MESSAGING         aws (default: SES and SMS stand-ins) or notify (a stand-in for GOV.UK Notify)`;

/** A start that cannot go on, told in one line (no stack trace). */
class StartError extends Error {
  override name = 'StartError';
}

/** Reads a port variable: a whole number from 0 to 65535, else a range message naming it. */
function portFrom(name: string, fallback: number): number {
  const text = process.env[name]?.trim();
  if (text === undefined || text === '') return fallback;
  if (!/^-?\d+$/.test(text)) {
    throw new StartError(`${name} must be a port number from 0 to 65535 (got "${text}")`);
  }
  const port = Number(text);
  if (port < 0) throw new StartError(`${name} must be ≥ 0 (got ${text})`);
  if (port > 65535) throw new StartError(`${name} must be ≤ 65535 (got ${text})`);
  return port;
}

/** Checks that `port` can be bound (the OS's choice for 0) before anything is started. */
async function claimPort(name: string, port: number, host: string): Promise<number> {
  try {
    return await probePort(port, host);
  } catch (error) {
    throw portError(name, port, error);
  }
}

function portError(name: string, port: number, error: unknown): unknown {
  switch ((error as NodeJS.ErrnoException).code) {
    case 'EADDRINUSE':
      return new StartError(
        `port ${port} is in use: set ${name}=<a free port> (0 picks one) or stop what is using it`,
      );
    case 'EACCES':
      return new StartError(`port ${port} needs privileges: set ${name}=<a port above 1023>`);
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return new StartError(`HOST ${process.env.HOST} is not an address of this machine`);
    default:
      return error;
  }
}

/** The host for links a browser follows: a wildcard bind is reached on loopback. */
function linkHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** What has started, newest last: stopped in reverse on a failed start, Ctrl-C or SIGTERM. */
const running: (() => Promise<void>)[] = [];

async function stopAll(): Promise<void> {
  for (let stop = running.pop(); stop !== undefined; stop = running.pop()) {
    await stop().catch(() => undefined);
  }
}

async function main(): Promise<void> {
  if (process.argv.slice(2).some((arg) => arg === '--help' || arg === '-h')) {
    console.log(HELP);
    return;
  }
  const host = process.env.HOST ?? '127.0.0.1';
  const port = await claimPort('PORT', portFrom('PORT', DEFAULT_PORT), host);
  const dynamoPort = await claimPort('DYNAMODB_PORT', portFrom('DYNAMODB_PORT', 0), '127.0.0.1');
  const sesPort = await claimPort('SES_PORT', portFrom('SES_PORT', 0), '127.0.0.1');
  const baseUrl = `http://${linkHost(host)}:${port}`;
  const dataDir = process.env.DATA_DIR ?? DEFAULT_DATA_DIR;
  process.once('SIGINT', () => void stopAll().then(() => process.exit(0)));
  process.once('SIGTERM', () => void stopAll().then(() => process.exit(0)));

  // One database for the service's table, one for the scheduler stand-in's timers.
  const dynamo = await startDynamoDbLocal({ port: dynamoPort, dataDir, sharedDb: false });
  running.push(() => dynamo.stop());
  const parsed = parseConfig({
    ...process.env,
    TABLE_NAME: process.env.TABLE_NAME ?? DEFAULT_TABLE,
    WEBHOOK_SECRET: process.env.WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET,
    ALERT_TOKEN_KEY: process.env.ALERT_TOKEN_KEY ?? DEV_ALERT_TOKEN_KEY,
    AUTHORITY_CONFIG: process.env.AUTHORITY_CONFIG ?? JSON.stringify(localAuthority(baseUrl)),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
  });
  // Local mode always has a duty inbox, so a routing gap shows in the outbox, and ack links
  // that point at this server.
  const cfg = {
    ...parsed,
    authority: {
      ...parsed.authority,
      fallbackContact: parsed.authority.fallbackContact ?? DEFAULT_FALLBACK_CONTACT,
      links: {
        ...parsed.authority.links,
        ackBaseUrl: parsed.authority.links.ackBaseUrl ?? baseUrl,
      },
    },
  };
  const alertTokenKey = cfg.alertTokenKey as string;
  const created = await createTable(
    new DynamoDBClient(dynamoClientConfig(dynamo.endpoint)),
    cfg.tableName,
  );
  const client = makeDocumentClient({ endpoint: dynamo.endpoint });
  // A data directory from before the scheduler had a database of its own keeps its timers.
  const { store: timers, moved } = await openSchedulerStore(dynamo.endpoint, cfg.tableName);
  const ses = await startSesLocal({ port: sesPort });
  running.push(() => ses.stop());
  // Timers live in the scheduler's database and fire through the same handler as on AWS; SMS
  // go to an in-memory outbox, email to aws-ses-v2-local. The simulated clock starts at the
  // wall clock.
  const messaging = process.env.MESSAGING ?? 'aws';
  if (messaging !== 'aws' && messaging !== 'notify')
    throw new StartError(`MESSAGING must be aws or notify (got "${messaging}")`);
  const reminders = makeLocalReminders({
    client,
    tableName: cfg.tableName,
    timers,
    authority: cfg.authority,
    sesEndpoint: ses.endpoint,
    alertTokenKey,
    messaging,
    // Notify's receipts are posted back to this server; invitations are served by it.
    serverUrl: baseUrl,
  });
  running.push(() => reminders.stop());
  const server = await startLocalServer({
    port,
    host,
    dynamoEndpoint: dynamo.endpoint,
    tableName: cfg.tableName,
    webhookSecret: cfg.webhookSecret as string,
    engine: await engineWithStoredFeed(client, cfg.tableName, cfg.authority),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    delivery: reminders.delivery,
    authority: cfg.authority,
    alertTokenKey,
  });
  running.push(() => server.close());
  reminders.driver.start();

  const secret = cfg.webhookSecret as string;
  console.log(`Timescales (local) on ${baseUrl}`);
  console.log(
    `  DynamoDB Local ${dynamo.endpoint}, table ${cfg.tableName} (${created ? 'created' : 'kept'}), data in ${dataDir} (DATA_DIR)`,
  );
  if (moved > 0)
    console.log(
      `  ${plural(moved, 'timer')} moved from the table to the scheduler stand-in's database`,
    );
  console.log(
    messaging === 'notify'
      ? `  messaging: a stand-in for GOV.UK Notify (its test addresses and numbers fail as Notify's do); receipts come back to ${baseUrl}/v1/notify/delivery-receipts`
      : `  email stand-in (aws-ses-v2-local): ${ses.endpoint} — its page shows the mail sent`,
  );
  console.log(
    `  local only: GET ${baseUrl}/local/outbox (every email and SMS sent), POST ${baseUrl}/local/clock {"now": "<instant>"} (move time forward), POST ${baseUrl}/local/sms-inbound {"from": "+44…", "body": "YES"} (reply to an alert SMS)`,
  );
  console.log(
    `  managers' pages: ${baseUrl}/app (local sign-in: choose a person from the directory)`,
  );
  console.log(
    `  authority ${cfg.authority.authority}, preset ${cfg.authority.preset}, division ${cfg.authority.division}; reminders that reach nobody go to the duty inbox ${cfg.authority.fallbackContact.email}`,
  );
  console.log(
    `  webhook secret: ${secret}${process.env.WEBHOOK_SECRET === undefined ? ' (development default; set WEBHOOK_SECRET to change)' : ''}`,
  );
  console.log('\nSend a signed event (paste into a shell):\n');
  console.log(curlExample(baseUrl, secret));
  console.log(`\nRead it back:  curl -s ${baseUrl}/v1/cases/C-1002/deadlines`);
  const env = port === DEFAULT_PORT ? '' : `PORT=${port} `;
  console.log(`Sign and send a file of events:  ${env}npx timescales send events.json`);
  console.log(`Or run the whole demo:  ${env}npm run demo\n`);
}

/** A curl that signs its own body with node (a signature is only valid for 5 minutes). */
function curlExample(url: string, secret: string): string {
  const body = JSON.stringify({
    id: `evt-example-${Math.floor(Date.now() / 1000)}`,
    type: 'case.opened',
    occurredAt: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    caseId: 'C-1002',
    data: { team: 'north-assessment', jointWithMentalHealth: true },
  });
  const sign =
    `const c=require('crypto');const [s,i,t,b]=process.argv.slice(1);` +
    `console.log('v1,'+c.createHmac('sha256',Buffer.from(s.slice(6),'base64')).update(i+'.'+t+'.'+b).digest('base64'))`;
  return [
    `SECRET='${secret}'`,
    `BODY='${body}'`,
    `TS=$(date +%s); ID=msg_$TS`,
    `SIG=$(node -e "${sign}" "$SECRET" "$ID" "$TS" "$BODY")`,
    `curl -s -X POST ${url}/v1/events -H 'content-type: application/json' \\`,
    `  -H "webhook-id: $ID" -H "webhook-timestamp: $TS" -H "webhook-signature: $SIG" -d "$BODY"; echo`,
  ].join('\n');
}

main().catch(async (error: unknown) => {
  await stopAll();
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
