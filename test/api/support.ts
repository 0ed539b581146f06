/** Shared helpers for the API and store tests: tables, signed requests, fixtures. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeDocumentClient } from '#platform/clients.js';
import { createTable } from '#platform/dynamodb/create-table.js';
import { logger } from '#platform/logger.js';
import { signWebhook } from '#platform/webhook.js';
import type { AuthorityConfig } from '#schemas/authority.js';

export const TEST_SECRET = `whsec_${Buffer.from('timescales-test-secret-32-bytes!').toString('base64')}`;

export const AUTHORITY: AuthorityConfig = {
  authority: 'Example Council',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
  fallbackContact: { email: 'duty.inbox@example.gov.uk' },
};

let counter = 0;

/** A fresh, uniquely named table on DynamoDB Local. */
export async function freshTable(
  endpoint: string,
  prefix: string,
): Promise<{
  client: DynamoDBDocumentClient;
  tableName: string;
}> {
  const tableName = `${prefix}-${process.pid}-${Date.now()}-${counter++}`;
  await createTable(new DynamoDBClient({ endpoint }), tableName);
  return { client: makeDocumentClient({ endpoint }), tableName };
}

/** Every item in the table, sorted: a snapshot to prove "nothing changed". */
export async function snapshot(client: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: tableName, ExclusiveStartKey: start, ConsistentRead: true }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return JSON.stringify(items.map((i) => JSON.stringify(i)).sort());
}

/** An API Gateway v2 event for POST /v1/events, signed unless told otherwise. */
export function postEvent(
  body: string,
  options: {
    secret?: string;
    at?: Date;
    headers?: Record<string, string>;
    unsigned?: boolean;
    contentType?: string;
  } = {},
): APIGatewayProxyEventV2 {
  const signature = options.unsigned
    ? {}
    : signWebhook(options.secret ?? TEST_SECRET, body, { at: options.at ?? new Date() });
  return apiEvent('POST /v1/events', '/v1/events', {
    body,
    headers: {
      'content-type': options.contentType ?? 'application/json',
      ...signature,
      ...options.headers,
    },
  });
}

export function apiEvent(
  routeKey: string,
  rawPath: string,
  extra: Partial<APIGatewayProxyEventV2> = {},
): APIGatewayProxyEventV2 {
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: {},
    isBase64Encoded: false,
    requestContext: {
      accountId: 'test',
      apiId: 'test',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: routeKey.split(' ')[0] ?? 'GET',
        path: rawPath,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'vitest',
      },
      requestId: 'test',
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...extra,
  };
}

/** Envelope builders with synthetic ids only. */
export const envelope = {
  caseOpened: (id: string, caseId = 'C-1001', occurredAt = '2026-03-02T10:00:00Z') => ({
    id,
    type: 'case.opened',
    occurredAt,
    caseId,
    data: {
      team: 'north-assessment',
      jointWithMentalHealth: true,
      workers: [
        { personId: 'P-0001', role: 'team-manager' },
        { personId: 'P-0002', role: 'allocated-worker' },
      ],
    },
  }),
  concern: (id: string, caseId = 'C-1001', occurredAt = '2026-03-02T11:00:00Z') => ({
    id,
    type: 'lado.concern-raised',
    occurredAt,
    caseId,
    data: { allegationId: 'A-1' },
  }),
  disagreement: (id: string, caseId = 'C-1001', occurredAt = '2026-03-02T12:00:00Z') => ({
    id,
    type: 'disagreement.raised',
    occurredAt,
    caseId,
    data: { disagreementId: 'D-1' },
  }),
  closed: (id: string, caseId = 'C-1001', occurredAt = '2026-03-03T12:00:00Z') => ({
    id,
    type: 'case.closed',
    occurredAt,
    caseId,
    data: {},
  }),
};

export function bodyOf<T = Record<string, unknown>>(result: { body?: string }): T {
  return JSON.parse(result.body ?? 'null') as T;
}

// Rejections are logged at INFO by design; keep the test output readable.
logger.setLogLevel('SILENT');
