/**
 * Starts the embedded stand-ins once for the whole run: DynamoDB Local (in memory) and
 * aws-ses-v2-local (and makes sure Debian's Chromium is there for the browser tests). Test
 * files reach them through `inject('dynamoEndpoint')` /
 * `inject('sesEndpoint')` and create their own uniquely named tables.
 *
 * Every project of the run (vitest.config.ts) calls this: the first call starts the stand-ins,
 * the others share them, and the last teardown stops them.
 */
import type { TestProject } from 'vitest/node';
import {
  type RunningStandIn,
  startDynamoDbLocal,
  startSesLocal,
} from '#functions/local/standins.js';
import { ensureChromium } from '#test/support/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

interface Shared {
  started: Promise<{ dynamo: RunningStandIn; ses: RunningStandIn }>;
  users: number;
}

/** Kept on the main process's global object: each project may load this file anew. */
const KEY = Symbol.for('timescales.test.standins');
const registry = globalThis as { [KEY]?: Shared };

export default async function setup(project: TestProject) {
  let shared = registry[KEY];
  if (shared === undefined) {
    // The browser tests drive Debian's Chromium: installed here when missing (as root).
    ensureChromium();
    const started = Promise.all([startTestDynamoDbLocal(), startSesLocal()]).then(
      ([dynamo, ses]) => ({
        dynamo,
        ses,
      }),
    );
    shared = { started, users: 0 };
    registry[KEY] = shared;
  }
  const current = shared;
  current.users++;
  const { dynamo, ses } = await current.started;
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    if (--current.users > 0) return;
    delete registry[KEY];
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}

/**
 * DynamoDB Local for a test run: its JVM with the client compiler only and one GC thread. A run
 * makes a few thousand small requests over a few minutes, and the optimising compiler's work
 * on two cores cost more than it saved (a third less CPU for the API and store tests with
 * these flags). The variable is set only while the JVM starts: nothing else sees it.
 */
async function startTestDynamoDbLocal(): Promise<RunningStandIn> {
  const before = process.env.JAVA_TOOL_OPTIONS;
  process.env.JAVA_TOOL_OPTIONS = [before, '-XX:TieredStopAtLevel=1 -XX:+UseSerialGC']
    .filter(Boolean)
    .join(' ');
  try {
    return await startDynamoDbLocal();
  } finally {
    if (before === undefined) delete process.env.JAVA_TOOL_OPTIONS;
    else process.env.JAVA_TOOL_OPTIONS = before;
  }
}
