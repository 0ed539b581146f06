/**
 * The managers' pages (`/app/...`) in AWS: the web handler (`app.ts`) built from the
 * environment on the first request (Cognito sign-in, Secure cookies).
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { HttpResult } from '#commons/http.js';
import { lazy } from '#commons/lazy.js';
import { logger } from '#commons/logger.js';
import { awsWebDeps } from '#functions/wiring/web.js';
import { makeWebHandler } from './app.js';

/** Built on the first invocation (a failed start is retried by the next one). */
const production = lazy(async () => makeWebHandler(await awsWebDeps()));

export const handler = middy<APIGatewayProxyEventV2, HttpResult>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => (await production())(event));
