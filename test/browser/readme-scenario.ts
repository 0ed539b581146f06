/**
 * The README's worked example as a server in this process: the real handlers on DynamoDB
 * Local and aws-ses-v2-local, `timescales.config.json`'s authority with links to this server
 * (as `npm start` has), and the README's own events — read from its marked block, so the
 * browser tests sign in as the people the README names: Manager One (the case's team manager),
 * LADO One (its LADO) and EDT Manager One (on the rota).
 */
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localAuthority } from '#bin/local-defaults.js';
import type { OutboxEntry } from '#functions/local/outbox.js';
import { makeLocalReminders } from '#functions/local/scheduler-driver.js';
import { type LocalServer, startLocalServer } from '#functions/local/server.js';
import { freePort } from '#functions/local/standins.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { signWebhook } from '#platform/webhook.js';

const SECRET = 'whsec_dGltZXNjYWxlcy1yZWFkbWUtYnJvd3Nlci10ZXN0cw==';
const TOKEN_KEY = 'a key the ack links of the browser tests are signed with';

/** The README's events: the JSON lines of its second worked-example block. */
export function readmeEvents(): Record<string, unknown>[] {
  const readme = readFileSync('README.md', 'utf8');
  const blocks = [...readme.matchAll(/<!-- worked-example -->\s*\n```sh\n([\s\S]*?)\n```/g)];
  const send = blocks[1]?.[1] ?? '';
  return send
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export interface ReadmeServer {
  url: string;
  server: LocalServer;
  moveClock(now: string): Promise<void>;
  outbox(): Promise<OutboxEntry[]>;
  close(): Promise<void>;
}

/** Starts the server at 16:45 BST on Friday 24 May 2030 and sends the README's events. */
export async function startReadme(
  dynamoEndpoint: string,
  sesEndpoint: string,
): Promise<ReadmeServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const authority = localAuthority(url);
  const tableName = `readme-${process.pid}-${Date.now()}`;
  await createTable(new DynamoDBClient({ endpoint: dynamoEndpoint }), tableName);
  const client = makeDocumentClient({ endpoint: dynamoEndpoint });
  const reminders = makeLocalReminders({
    client,
    tableName,
    authority,
    sesEndpoint,
    start: new Date('2030-05-24T15:45:00Z'),
    alertTokenKey: TOKEN_KEY,
  });
  const server = await startLocalServer({
    port,
    dynamoEndpoint,
    tableName,
    webhookSecret: SECRET,
    engine: makeCaseEngine(authority),
    scheduler: reminders.driver,
    clock: reminders.clock,
    localRoutes: reminders.routes,
    authority,
    alertTokenKey: TOKEN_KEY,
    env: {},
  });
  for (const event of readmeEvents()) {
    const body = JSON.stringify(event);
    const answer = await fetch(`${url}/v1/events`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...signWebhook(SECRET, body) },
      body,
    });
    if (answer.status !== 202) throw new Error(`${event.id}: ${answer.status}`);
  }
  return {
    url,
    server,
    async moveClock(now) {
      const moved = await fetch(`${url}/local/clock`, {
        method: 'POST',
        body: JSON.stringify({ now }),
      });
      if (moved.status !== 200) throw new Error(`clock: ${moved.status} ${await moved.text()}`);
    },
    outbox: async () => (await (await fetch(`${url}/local/outbox`)).json()) as OutboxEntry[],
    close: async () => {
      await server.close();
      await reminders.stop();
    },
  };
}

/** The ack link in a message's text. */
export function ackLinkIn(text: string, url: string): string {
  const found = new RegExp(`${url.replaceAll('.', '\\.')}/a/[A-Za-z0-9_-]+`).exec(text);
  if (found === null) throw new Error(`no ack link in: ${text}`);
  return found[0];
}
