/**
 * GET /v1/cases/{caseId}, /v1/cases/{caseId}/deadlines, /v1/cases/{caseId}/audit,
 * /v1/cases/{caseId}/reminders and /v1/deadlines. Thin: validate path and query with zod, call one read query, map the answer.
 * In AWS these routes are authorised by IAM at API Gateway (SigV4 callers only); locally they
 * are open.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { calendarFeed } from '#adapters/dynamodb/calendar-feed.js';
import { DynamoCaseStore } from '#adapters/dynamodb/case-store.js';
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { dynamo } from '#commons/clients.js';
import { config } from '#commons/config.js';
import { NotFoundError, ValidationError } from '#commons/errors.js';
import { fieldErrors, type HttpResult, json } from '#commons/http.js';
import { errorResult } from '#commons/respond.js';
import { CaseParams, DeadlineQuery } from '#schemas/responses.js';
import type * as z from '#schemas/zod.js';
import { makeCaseEngine } from '#use-cases/bind-engine.js';
import {
  getAudit,
  getCase,
  getCaseDeadlines,
  getCaseReminders,
  listDeadlines,
  type ReadDeps,
} from '#use-cases/read-queries.js';

export type ReadHandler = (event: APIGatewayProxyEventV2) => Promise<HttpResult>;

export const READ_ROUTES = [
  'GET /v1/cases/{caseId}',
  'GET /v1/cases/{caseId}/deadlines',
  'GET /v1/cases/{caseId}/audit',
  'GET /v1/cases/{caseId}/reminders',
  'GET /v1/deadlines',
] as const;

export function makeHandler(deps: ReadDeps): ReadHandler {
  return async (event) => {
    try {
      switch (event.routeKey) {
        case 'GET /v1/cases/{caseId}':
          return json(200, await getCase(caseIdOf(event), deps));
        case 'GET /v1/cases/{caseId}/deadlines':
          return json(200, await getCaseDeadlines(caseIdOf(event), deps));
        case 'GET /v1/cases/{caseId}/audit':
          return json(200, await getAudit(caseIdOf(event), deps));
        case 'GET /v1/cases/{caseId}/reminders':
          return json(200, await getCaseReminders(caseIdOf(event), deps));
        case 'GET /v1/deadlines':
          return json(
            200,
            await listDeadlines(
              parse(DeadlineQuery, event.queryStringParameters ?? {}, 'query'),
              deps,
            ),
          );
        default:
          throw new NotFoundError(`no route ${event.routeKey}`);
      }
    } catch (error) {
      return errorResult(error, event.rawPath);
    }
  };
}

function caseIdOf(event: APIGatewayProxyEventV2): string {
  return parse(CaseParams, event.pathParameters ?? {}, 'path').caseId;
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`invalid ${where} parameters`, { errors: fieldErrors(result.error) });
  }
  return result.data;
}

let production: ReadHandler | undefined;

export const handler = middy<APIGatewayProxyEventV2, HttpResult>().handler(async (event) => {
  if (production === undefined) {
    const cfg = config();
    const client = dynamo(cfg.dynamoEndpoint);
    const engine = makeCaseEngine(cfg.authority, undefined, {
      feed: await calendarFeed(client, cfg.tableName),
    });
    production = makeHandler({
      store: new DynamoCaseStore(client, cfg.tableName),
      reminders: {
        calendar: engine.calendar,
        calendarFor: (division) => engine.calendarFor(division),
        plans: engine.plans,
        directory: new DynamoDirectory(client, cfg.tableName),
      },
    });
  }
  return production(event);
});
