/**
 * The read routes of `schemas/routes.ts` (`GET /v1/cases/{caseId}`, its deadlines, audit and
 * reminders, `GET /v1/deadlines`, `GET /v1/reminders/unrouted`, `GET /v1/alerts`, the
 * directory's `GET /v1/people`, `/v1/people/{personId}` and `/v1/rota`). Thin: find the route,
 * validate its path and query with its zod schemas, call its read query, map the answer. In AWS these routes are authorised by IAM
 * at API Gateway (SigV4 callers only); locally they are open.
 */
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { fieldErrors, NotFoundError, ValidationError } from '#kernel/errors.js';
import { type HttpResult, json } from '#platform/http.js';
import { entry, httpLambda, type LambdaHandler } from '#platform/lambda.js';
import { type Route, type Routes, routeEntries, routeKey } from '#schemas/routes.js';
import type * as z from '#schemas/zod.js';
import {
  getAudit,
  getCase,
  getCaseDeadlines,
  getCaseReminders,
  getPerson,
  listAlerts,
  listDeadlines,
  listPeople,
  listRota,
  listUnrouted,
  type ReadDeps,
} from './read-queries.js';
import { awsReadDeps } from './wiring.js';

export type ReadHandler = LambdaHandler<APIGatewayProxyEventV2, HttpResult>;

/** The operations of the read Lambda's routes. */
type ReadOperation = {
  [K in keyof Routes]: Routes[K]['lambda'] extends 'read' ? K : never;
}[keyof Routes];

/** A route's validated input: its path and query parameters, as its schemas parse them. */
type Input<R> = {
  params: R extends { params: infer S extends z.ZodMiniType } ? z.infer<S> : undefined;
  query: R extends { query: infer S extends z.ZodMiniType } ? z.infer<S> : undefined;
};

/** Each read route's query, typed by its route entry: its input in, its response body out. */
const QUERIES: {
  [K in ReadOperation]: (
    input: Input<Routes[K]>,
    deps: ReadDeps,
  ) => Promise<z.infer<Routes[K]['response']['schema']>>;
} = {
  getCase: ({ params }, deps) => getCase(params.caseId, deps),
  getCaseDeadlines: ({ params }, deps) => getCaseDeadlines(params.caseId, deps),
  getCaseAudit: ({ params }, deps) => getAudit(params.caseId, deps),
  getCaseReminders: ({ params }, deps) => getCaseReminders(params.caseId, deps),
  listDeadlines: ({ query }, deps) => listDeadlines(query, deps),
  listPeople: ({ query }, deps) => listPeople(query, deps),
  getPerson: ({ params }, deps) => getPerson(params.personId, deps),
  listRota: ({ query }, deps) => listRota(query, deps),
  listUnroutedReminders: ({ query }, deps) => listUnrouted(query, deps),
  listAlerts: ({ query }, deps) => listAlerts(query, deps),
};

type AnyQuery = (input: { params: unknown; query: unknown }, deps: ReadDeps) => Promise<unknown>;

/** The read routes by API Gateway route key. */
const BY_ROUTE_KEY = new Map(
  routeEntries()
    .filter(([, route]) => route.lambda === 'read')
    .map(([operationId, route]) => [
      routeKey(route),
      { route, query: QUERIES[operationId as ReadOperation] as AnyQuery },
    ]),
);

export function makeHandler(deps: ReadDeps): ReadHandler {
  return httpLambda(async (event) => {
    const found = BY_ROUTE_KEY.get(event.routeKey);
    if (found === undefined) throw new NotFoundError(`no route ${event.routeKey}`);
    const { route, query } = found;
    return json(route.response.status, await query(inputOf(route, event), deps));
  });
}

function inputOf(route: Route, event: APIGatewayProxyEventV2) {
  return {
    params: route.params && parse(route.params, event.pathParameters ?? {}, 'path'),
    query: route.query && parse(route.query, event.queryStringParameters ?? {}, 'query'),
  };
}

function parse<S extends z.ZodMiniType>(schema: S, value: unknown, where: string): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationError(`invalid ${where} parameters`, { errors: fieldErrors(result.error) });
  }
  return result.data;
}

/** The Lambda: its dependencies built from the environment on the first invocation. */
export const handler = entry(async () => makeHandler(await awsReadDeps()));
