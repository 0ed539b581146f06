/**
 * `npm start`: the service on one machine. Starts DynamoDB Local with its data under
 * .local/dynamodb (a restart loses nothing), creates the table if missing and serves the
 * Lambda handlers on PORT (default 3000).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { calendarFeed } from '#adapters/dynamodb/calendar-feed.js';
import { createTable } from '#adapters/dynamodb/create-table.js';
import { makeDocumentClient } from '#commons/clients.js';
import { parseConfig } from '#commons/config.js';
import { makeLocalReminders } from '#local/scheduler-driver.js';
import { startLocalServer } from '#local/server.js';
import { freePort, startDynamoDbLocal, startSesLocal } from '#local/standins.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';
import { DEFAULT_TABLE, localAuthorityConfig } from './local-defaults.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.AWS_REGION ??= 'eu-west-2';

/** A fixed development secret: fine on a laptop, never for a deployment. */
const DEV_WEBHOOK_SECRET = `whsec_${Buffer.from('timescales-local-development-key').toString('base64')}`;

async function main(): Promise<void> {
  const port = Number(process.env.PORT ?? 3000);
  const dynamo = await startDynamoDbLocal({
    port:
      process.env.DYNAMODB_PORT === undefined
        ? await freePort()
        : Number(process.env.DYNAMODB_PORT),
    dataDir: process.env.DATA_DIR ?? '.local/dynamodb',
  });
  const cfg = parseConfig({
    ...process.env,
    TABLE_NAME: process.env.TABLE_NAME ?? DEFAULT_TABLE,
    WEBHOOK_SECRET: process.env.WEBHOOK_SECRET ?? DEV_WEBHOOK_SECRET,
    AUTHORITY_CONFIG: process.env.AUTHORITY_CONFIG ?? localAuthorityConfig(),
    DYNAMODB_ENDPOINT: dynamo.endpoint,
  });
  const created = await createTable(
    new DynamoDBClient({ endpoint: dynamo.endpoint }),
    cfg.tableName,
  );
  const ses = await startSesLocal({
    port: process.env.SES_PORT === undefined ? await freePort() : Number(process.env.SES_PORT),
  });
  // Timers live in the table and fire through the same handler as on AWS; SMS go to an
  // in-memory outbox, email to aws-ses-v2-local. The simulated clock starts at the wall clock.
  const reminders = makeLocalReminders({
    client: makeDocumentClient({ endpoint: dynamo.endpoint }),
    tableName: cfg.tableName,
    authority: cfg.authority,
    sesEndpoint: ses.endpoint,
  });
  const server = await startLocalServer({
    port,
    host: process.env.HOST ?? '127.0.0.1',
    dynamoEndpoint: dynamo.endpoint,
    tableName: cfg.tableName,
    webhookSecret: cfg.webhookSecret as string,
    engine: makeCaseEngine(cfg.authority, undefined, {
      feed: await calendarFeed(makeDocumentClient({ endpoint: dynamo.endpoint }), cfg.tableName),
    }),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
  });
  reminders.driver.start();

  const secret = cfg.webhookSecret as string;
  console.log(`Timescales (local) on ${server.url}`);
  console.log(
    `  DynamoDB Local ${dynamo.endpoint}, table ${cfg.tableName} (${created ? 'created' : 'kept'}), data in ${process.env.DATA_DIR ?? '.local/dynamodb'}`,
  );
  console.log(
    `  email stand-in (aws-ses-v2-local): ${ses.endpoint} — its page shows the mail sent`,
  );
  console.log(
    `  local only: GET ${server.url}/local/outbox (every email and SMS sent), POST ${server.url}/local/clock {"now": "<instant>"} (move time forward)`,
  );
  console.log(
    `  authority ${cfg.authority.authority}, preset ${cfg.authority.preset}, division ${cfg.authority.division}`,
  );
  console.log(
    `  webhook secret: ${secret}${process.env.WEBHOOK_SECRET === undefined ? ' (development default; set WEBHOOK_SECRET to change)' : ''}`,
  );
  console.log('\nSend a signed event (paste into a shell):\n');
  console.log(curlExample(server.url, secret));
  console.log(`\nRead it back:  curl -s ${server.url}/v1/cases/C-1002/deadlines`);
  console.log('Or run the whole demo:  npm run demo\n');

  const stop = async () => {
    await reminders.stop();
    await server.close();
    await ses.stop();
    await dynamo.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
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

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
