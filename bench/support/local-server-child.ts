/**
 * A child process that runs the local HTTP server (`startLocalServer`, as `npm start` does)
 * against a DynamoDB Local endpoint the parent started, so the load generator and the server
 * do not share an event loop. Reports `{ url }` over IPC; a `'stop'` message closes it (and
 * lets `--cpu-prof` write its profile).
 *
 * Environment: DYNAMODB_ENDPOINT, TABLE_NAME, WEBHOOK_SECRET, AUTHORITY_CONFIG; TIMER_STORE=1
 * sets timers in the scheduler's database, as `npm start`'s local driver does (else they are only
 * remembered).
 */

import { startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { parseConfig } from '#platform/config.js';
import { schedulerDatabaseTimers } from '#platform/dynamodb/timer-store.js';
import { logger } from '#platform/logger.js';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

async function main(): Promise<void> {
  const cfg = parseConfig(process.env);
  // Rejections log at INFO by design; a bench wants only trouble on its console.
  logger.setLogLevel('WARN');
  const timers =
    process.env.TIMER_STORE === '1'
      ? schedulerDatabaseTimers(cfg.dynamoEndpoint as string, cfg.tableName)
      : undefined;
  const server = await startLocalServer({
    ...(timers === undefined
      ? {}
      : {
          scheduler: {
            schedule: (list) => timers.put(list),
            cancel: (names) => timers.delete(names),
          },
        }),
    port: 0,
    dynamoEndpoint: cfg.dynamoEndpoint as string,
    tableName: cfg.tableName,
    webhookSecret: cfg.webhookSecret as string,
    engine: makeCaseEngine(cfg.authority),
  });
  process.on('message', (message) => {
    if (message !== 'stop') return;
    server.close().then(() => process.exit(0));
  });
  process.send?.({ url: server.url });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
