/**
 * The managers' pages (`/app/...`) in AWS: the web handler (`app.ts`) built from the
 * environment on the first request (Cognito sign-in, Secure cookies).
 */
import { entry } from '#platform/lambda.js';
import { makeWebHandler } from './app.js';
import { awsWebDeps } from './wiring.js';

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(async () => makeWebHandler(await awsWebDeps()));
