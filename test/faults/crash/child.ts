/**
 * A local-mode process for the crash test: the same wiring as `bin/local.ts` (events handler,
 * the reminders driver polling timers from the table, SES email), pointed at the test run's
 * DynamoDB Local and SES stand-in so they outlive this process when it is killed.
 * Env: DYNAMO, SES, TABLE, START (where the simulated clock starts).
 */

import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { startLocalServer } from '#functions/local/server.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { AUTHORITY, TEST_SECRET } from '#test/api/support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`${name} is required`);
  return value;
};

const reminders = makeLocalReminders({
  client: makeDocumentClient({ endpoint: env('DYNAMO') }),
  tableName: env('TABLE'),
  authority: AUTHORITY,
  sesEndpoint: env('SES'),
  start: new Date(env('START')),
  pollMs: 200,
  // Few sends in flight, so the burst of 30 takes long enough to be killed in its middle.
  concurrency: 4,
});
const server = await startLocalServer({
  port: 0,
  dynamoEndpoint: env('DYNAMO'),
  tableName: env('TABLE'),
  webhookSecret: TEST_SECRET,
  engine: makeCaseEngine(AUTHORITY),
  scheduler: reminders.driver,
  clock: reminders.clock,
  localRoutes: reminders.routes,
});
reminders.driver.start();
process.stdout.write(`${JSON.stringify({ ready: server.url })}\n`);
