/**
 * The OpenAPI 3.1 document, built from the route table (`routes.ts`) and its zod schemas.
 * `npm run gen:openapi` writes it to `schemas/openapi.json`; a test fails when the committed
 * file is stale.
 */
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
} from 'zod-openapi';
import { Problem } from './problem.js';
import { type OperationId, type Route, routeEntries } from './routes.js';

/** What every JSON answer carries, success or problem (`JSON_HEADERS` in platform/http.ts). */
const JSON_HEADERS = {
  'Cache-Control': { $ref: '#/components/headers/CacheControl' },
  'X-Content-Type-Options': { $ref: '#/components/headers/ContentTypeOptions' },
};

/** The security scheme each kind of route names. */
const SECURITY = {
  webhook: 'standardWebhooks',
  iam: 'iam',
  token: 'ackToken',
  bearer: 'notifyCallback',
} as const;

function operation(operationId: OperationId, route: Route): ZodOpenApiOperationObject {
  const html = route.response.contentType === 'text/html';
  const success = route.response.contentType ?? 'application/json';
  // A page's refusals are pages too (a person opened a link).
  const problemContent = html
    ? { 'text/html': { schema: route.response.schema } }
    : { 'application/problem+json': { schema: Problem } };
  const problems = Object.entries(route.problems).map(([status, description]) => [
    status,
    { description, content: problemContent, ...(html ? {} : { headers: JSON_HEADERS }) },
  ]);
  return {
    operationId,
    ...(route.summary === undefined ? {} : { summary: route.summary }),
    security: [{ [SECURITY[route.auth]]: [] }],
    requestParams: {
      ...(route.params === undefined ? {} : { path: route.params }),
      ...(route.query === undefined ? {} : { query: route.query }),
      ...(route.headers === undefined ? {} : { header: route.headers }),
    },
    ...(route.body === undefined
      ? {}
      : {
          requestBody: { required: true, content: { 'application/json': { schema: route.body } } },
        }),
    responses: {
      [String(route.response.status)]: {
        description: route.response.description,
        content: { [success]: { schema: route.response.schema } },
        ...(success === 'application/json' ? { headers: JSON_HEADERS } : {}),
      },
      ...Object.fromEntries(problems),
    },
  };
}

function paths(): ZodOpenApiPathsObject {
  const out: ZodOpenApiPathsObject = {};
  for (const [operationId, route] of routeEntries()) {
    out[route.path] = {
      ...out[route.path],
      [route.method.toLowerCase()]: operation(operationId, route),
    };
  }
  return out;
}

export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Timescales API',
      version: '1.0.0',
      description:
        'Deadline scheduling for UK children’s social care. POST /v1/events is signed with Standard Webhooks; ' +
        'the GET routes are authorised by IAM (SigV4) at API Gateway in AWS and open in local mode. ' +
        'Instants in responses are UTC ISO-8601 (Z offset). Every JSON answer, success or problem, carries ' +
        'Cache-Control: no-store and X-Content-Type-Options: nosniff. A method a path does not take: ' +
        'API Gateway answers 404 in AWS (each route is one method); local mode answers 405 with Allow.',
    },
    components: {
      headers: {
        CacheControl: {
          description: 'no browser or proxy keeps a copy',
          schema: { type: 'string', const: 'no-store' },
        },
        ContentTypeOptions: {
          description: 'the body is read only as its declared content type',
          schema: { type: 'string', const: 'nosniff' },
        },
      },
      securitySchemes: {
        standardWebhooks: {
          type: 'apiKey',
          in: 'header',
          name: 'webhook-signature',
          description: 'Standard Webhooks HMAC signature with webhook-id and webhook-timestamp',
        },
        iam: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS SigV4 (IAM)',
        },
        notifyCallback: {
          type: 'http',
          scheme: 'bearer',
          description:
            'GOV.UK Notify’s callbacks: the bearer token set in Notify’s API integration settings (kept in Secrets Manager), compared in constant time',
        },
        ackToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The ack link: a token in the path (alert id, expiry, HMAC-SHA256 with the alert-token key), not a header; the link in an SMS or email is the capability',
        },
      },
    },
    paths: paths(),
  });
}

/** The document as committed: 2-space JSON with a trailing newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
