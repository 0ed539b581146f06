/** HTTP helpers of the web pages: HTML and CSV answers, redirects, gzip, security headers. */
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { WEB_ROOT, webPath } from '#schemas/web.js';
import type { HttpResult } from '../http.js';

/** Headers every page gets: no caching of personal data, no framing, a strict CSP. */
export function pageHeaders(nonce: string, formTargets: readonly string[]): Record<string, string> {
  return {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': [
      "default-src 'none'",
      "style-src 'self'",
      "img-src 'self' data:",
      `script-src 'nonce-${nonce}'`,
      `form-action 'self'${formTargets.map((t) => ` ${t}`).join('')}`,
      "frame-ancestors 'none'",
      "base-uri 'none'",
    ].join('; '),
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
  };
}

export const newNonce = (): string => randomBytes(16).toString('base64');

/**
 * A body, gzipped when the client accepts it and it is worth it: Lambda answers are limited
 * to 6 MB, and a year's deadlines CSV compresses about tenfold.
 */
export function withBody(
  statusCode: number,
  headers: Record<string, string>,
  body: string | Buffer,
  acceptEncoding: string | undefined,
  cookies?: string[],
): HttpResult {
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  const gzip = buffer.length > 1024 && /\bgzip\b/.test(acceptEncoding ?? '');
  return {
    statusCode,
    headers: {
      ...headers,
      vary: 'accept-encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    },
    body: (gzip ? gzipSync(buffer) : buffer).toString('base64'),
    isBase64Encoded: true,
    ...(cookies === undefined || cookies.length === 0 ? {} : { cookies }),
  };
}

export function redirect(location: string, cookies: string[] = []): HttpResult {
  return {
    statusCode: 303,
    headers: { location, 'cache-control': 'no-store' },
    body: '',
    ...(cookies.length === 0 ? {} : { cookies }),
  };
}

/** A path under the pages' root: the root itself, a query on it, or a path below it. */
const UNDER_ROOT = new RegExp(`^${WEB_ROOT}(/[^/\\\\]|$|\\?)`);

/** Only a local path under the pages' root is a safe place to return to after sign-in. */
export function safeNext(next: string | undefined): string {
  return next !== undefined && UNDER_ROOT.test(next) && !next.startsWith('//')
    ? next
    : webPath('home');
}
