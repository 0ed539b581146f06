import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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
      '/v1/people',
      '/v1/people/{personId}',
      '/v1/reminders/unrouted',
      '/v1/rota',
    ]);
  });
});
