/**
 * HTTP edges shared by the handlers: JSON and problem responses in API Gateway HTTP API (v2)
 * shape, the one place errors become status codes, and zod issues as field errors.
 */
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { Problem } from '#schemas/problem.js';
import type * as z from '#schemas/zod.js';
import { AppError, type FieldError } from './errors.js';

export type HttpResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export const PROBLEM_BASE = 'https://timescales.dev/problems/';

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): HttpResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}

/** Maps any thrown value to a problem: `AppError`s by `instanceof`, everything else to 500. */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof AppError) {
    return {
      type: `${PROBLEM_BASE}${error.slug}`,
      title: error.title,
      status: error.status,
      detail: error.message,
      ...(instance === undefined ? {} : { instance }),
      ...(error.errors.length > 0 ? { errors: error.errors } : {}),
    };
  }
  // Never echo an internal error's message: it may carry data from the request or the store.
  return {
    type: `${PROBLEM_BASE}internal`,
    title: 'Internal error',
    status: 500,
    detail: 'An unexpected error occurred; it has been logged.',
    ...(instance === undefined ? {} : { instance }),
  };
}

export function problemResult(problem: Problem, headers: Record<string, string> = {}): HttpResult {
  return {
    statusCode: problem.status,
    headers: { 'content-type': 'application/problem+json', ...headers },
    body: JSON.stringify(problem),
  };
}

/** zod issues as `{field, message}`, the field a dotted path (`data.workers.0.role`). */
export function fieldErrors(error: z.core.$ZodError): FieldError[] {
  return error.issues.slice(0, 20).map((issue) => ({
    field: issue.path.map((p) => String(p)).join('.'),
    message: issue.message,
  }));
}

/** Header lookup that ignores case (API Gateway lower-cases them; local callers may not). */
export function header(
  headers: Record<string, string | undefined> | undefined,
  name: string,
): string | undefined {
  if (headers === undefined) return undefined;
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === wanted) return value;
  }
  return undefined;
}
