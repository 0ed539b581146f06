/**
 * Starts the embedded stand-ins once for the whole run: DynamoDB Local (in memory) and
 * aws-ses-v2-local (and makes sure Debian's Chromium is there for the browser tests). Test
 * files reach them through `inject('dynamoEndpoint')` /
 * `inject('sesEndpoint')` and create their own uniquely named tables.
 */
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, startSesLocal } from '#functions/local/standins.js';
import { ensureChromium } from '#test/support/chromium.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamoEndpoint: string;
    sesEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  // The browser tests drive Debian's Chromium: installed here when missing (as root).
  ensureChromium();
  const [dynamo, ses] = await Promise.all([startDynamoDbLocal(), startSesLocal()]);
  project.provide('dynamoEndpoint', dynamo.endpoint);
  project.provide('sesEndpoint', ses.endpoint);
  return async () => {
    await Promise.all([dynamo.stop(), ses.stop()]);
  };
}
