/**
 * The OpenAPI 3.1 document, built from the zod schemas. `npm run gen:openapi` writes it to
 * `schemas/openapi.json`; a test fails when the committed file is stale.
 */
import { createDocument, type ZodOpenApiResponsesObject } from 'zod-openapi';
import { EventEnvelope } from './events.js';
import { Problem } from './problem.js';
import {
  AuditList,
  CaseView,
  DeadlineList,
  DeadlineQuery,
  EventAccepted,
  ReminderList,
  UnroutedList,
  UnroutedQuery,
} from './responses.js';
import * as z from './zod.js';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

const readProblems: ZodOpenApiResponsesObject = {
  '400': problem('invalid path or query parameters'),
  '403': problem('not authorised (IAM, in AWS)'),
  '404': problem('unknown case'),
};

const caseId = z.object({
  caseId: z
    .string()
    .check(z.meta({ description: 'case reference, e.g. C-1001', example: 'C-1001' })),
});

const webhookHeaders = z.object({
  'webhook-id': z.string().check(z.describe('Standard Webhooks message id')),
  'webhook-timestamp': z
    .string()
    .check(z.describe('Unix seconds; refused when more than 5 minutes off')),
  'webhook-signature': z
    .string()
    .check(z.describe('v1,<base64 HMAC-SHA256 of "id.timestamp.body">')),
});

export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Timescales API',
      version: '1.0.0',
      description:
        'Deadline scheduling for UK children’s social care. POST /v1/events is signed with Standard Webhooks; ' +
        'the GET routes are authorised by IAM (SigV4) at API Gateway in AWS and open in local mode. ' +
        'Instants in responses are UTC ISO-8601 (Z offset).',
    },
    components: {
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
      },
    },
    paths: {
      '/v1/events': {
        post: {
          operationId: 'postEvent',
          summary: 'Deliver an event; redeliveries with the same id get the same answer',
          security: [{ standardWebhooks: [] }],
          requestParams: { header: webhookHeaders },
          requestBody: {
            required: true,
            content: {
              'application/json': { schema: EventEnvelope.check(z.meta({ id: 'EventEnvelope' })) },
            },
          },
          responses: {
            '202': {
              description: 'applied (or already applied)',
              content: { 'application/json': { schema: EventAccepted } },
            },
            '400': problem(
              'malformed JSON, nesting too deep, or the event does not match its schema',
            ),
            '401': problem('signature missing, wrong or stale'),
            '409': problem('the event id was already used with a different body'),
            '413': problem('body larger than 64 KB'),
            '415': problem('content type is not application/json'),
            '422': problem(
              'an instant outside the years the calendar covers (the problem names the field and the range), or the rule engine cannot apply the event to the case',
            ),
            '503': problem('the case is contended or timers could not be set; deliver again'),
          },
        },
      },
      '/v1/cases/{caseId}': {
        get: {
          operationId: 'getCase',
          security: [{ iam: [] }],
          requestParams: { path: caseId },
          responses: {
            '200': {
              description: 'the case facts',
              content: { 'application/json': { schema: CaseView } },
            },
            ...readProblems,
          },
        },
      },
      '/v1/cases/{caseId}/deadlines': {
        get: {
          operationId: 'getCaseDeadlines',
          security: [{ iam: [] }],
          requestParams: { path: caseId },
          responses: {
            '200': {
              description: 'every deadline on the case',
              content: { 'application/json': { schema: DeadlineList } },
            },
            ...readProblems,
          },
        },
      },
      '/v1/cases/{caseId}/audit': {
        get: {
          operationId: 'getCaseAudit',
          security: [{ iam: [] }],
          requestParams: { path: caseId },
          responses: {
            '200': {
              description: 'the audit trail, oldest first',
              content: { 'application/json': { schema: AuditList } },
            },
            ...readProblems,
          },
        },
      },
      '/v1/cases/{caseId}/reminders': {
        get: {
          operationId: 'getCaseReminders',
          summary:
            'The reminders planned for the case, with times and recipients (personIds and roles only)',
          security: [{ iam: [] }],
          requestParams: { path: caseId },
          responses: {
            '200': {
              description:
                'the reminders in firing order, each with what happened to it (planned, sent, skipped, deferred, failed, unrouted); none for a closed case',
              content: { 'application/json': { schema: ReminderList } },
            },
            ...readProblems,
          },
        },
      },
      '/v1/deadlines': {
        get: {
          operationId: 'listDeadlines',
          summary:
            'A manager’s list: deadlines by status, due before an instant, optionally for one team',
          security: [{ iam: [] }],
          requestParams: { query: DeadlineQuery },
          responses: {
            '200': {
              description: 'deadlines ordered by due time',
              content: { 'application/json': { schema: DeadlineList } },
            },
            '400': problem('invalid query parameters'),
            '403': problem('not authorised (IAM, in AWS)'),
          },
        },
      },
      '/v1/reminders/unrouted': {
        get: {
          operationId: 'listUnroutedReminders',
          summary:
            'Reminders that reached nobody they were meant for (the fallback contact was told), newest first: what was missing and which event would fix it',
          security: [{ iam: [] }],
          requestParams: { query: UnroutedQuery },
          responses: {
            '200': {
              description: 'unrouted reminders, newest first (by when they were due to fire)',
              content: { 'application/json': { schema: UnroutedList } },
            },
            '400': problem('invalid query parameters, or a cursor this API did not return'),
            '403': problem('not authorised (IAM, in AWS)'),
          },
        },
      },
    },
  });
}

/** The document as committed: 2-space JSON with a trailing newline. */
export function renderOpenApi(): string {
  return `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`;
}
