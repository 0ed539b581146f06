import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JSON_HEADERS } from '#platform/http.js';
import { renderOpenApi } from '#schemas/openapi.js';

describe('schemas/openapi.json', () => {
  it('is up to date with the zod schemas (run `npm run gen:openapi`)', () => {
    // Prepare
    const committed = readFileSync(new URL('../../schemas/openapi.json', import.meta.url), 'utf8');
    // Act
    const generated = renderOpenApi();
    // Assess
    expect(JSON.parse(committed)).toEqual(JSON.parse(generated));
  });

  it('is OpenAPI 3.1 and documents every route', () => {
    // Prepare
    const document = JSON.parse(renderOpenApi()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    // Act
    const paths = Object.keys(document.paths).sort();
    // Assess
    expect(document.openapi).toBe('3.1.0');
    expect(paths).toEqual([
      '/a/{token}',
      '/v1/alerts',
      '/v1/alerts/{alertId}/ack',
      '/v1/cases/{caseId}',
      '/v1/cases/{caseId}/audit',
      '/v1/cases/{caseId}/deadlines',
      '/v1/cases/{caseId}/reminders',
      '/v1/deadlines',
      '/v1/events',
      '/v1/invitations/{file}',
      '/v1/notify/delivery-receipts',
      '/v1/notify/received-text-messages',
      '/v1/people',
      '/v1/people/{personId}',
      '/v1/reminders/unrouted',
      '/v1/rota',
    ]);
  });

  it('declares on every JSON answer, success or problem, the two headers the server sets', () => {
    // Prepare
    type Response = { content?: Record<string, unknown>; headers?: Record<string, unknown> };
    const document = JSON.parse(renderOpenApi()) as {
      paths: Record<string, Record<string, { responses: Record<string, Response> }>>;
      components: { headers: Record<string, { schema: { const: string } }> };
    };
    const answers = Object.values(document.paths).flatMap((methods) =>
      Object.values(methods).flatMap((operation) => Object.values(operation.responses)),
    );
    const json = answers.filter((a) =>
      Object.keys(a.content ?? {}).some((type) => type.endsWith('json')),
    );
    // Act
    const undeclared = json.filter(
      (a) =>
        Object.keys(a.headers ?? {})
          .sort()
          .join() !== 'Cache-Control,X-Content-Type-Options',
    );
    // Assess
    expect(json.length).toBeGreaterThan(40);
    expect(undeclared).toEqual([]);
    expect(document.components.headers.CacheControl?.schema.const).toBe(
      JSON_HEADERS['cache-control'],
    );
    expect(document.components.headers.ContentTypeOptions?.schema.const).toBe(
      JSON_HEADERS['x-content-type-options'],
    );
  });
});
