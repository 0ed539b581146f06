/** Reading a JSON request body defensively: size, content type, nesting and syntax. */
import { ValidationError } from '#kernel/errors.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from './errors.js';
import { header } from './http.js';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_JSON_DEPTH = 16;

/** The raw body bytes as the sender signed them; 413 above `MAX_BODY_BYTES`. */
export function rawBody(event: { body?: string | undefined; isBase64Encoded?: boolean }): Buffer {
  const body = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(body, 'base64') : Buffer.from(body, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(
      `the body is ${bytes.length} bytes; the limit is ${MAX_BODY_BYTES}`,
      {
        errors: [{ field: '', message: `at most ${MAX_BODY_BYTES} bytes` }],
      },
    );
  }
  return bytes;
}

export function requireJsonContentType(
  headers: Record<string, string | undefined> | undefined,
): void {
  const value = header(headers, 'content-type');
  const mediaType = value?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') {
    throw new UnsupportedMediaTypeError(
      `content-type must be application/json, not ${mediaType ?? 'absent'}`,
      {
        errors: [{ field: 'header.content-type', message: 'must be application/json' }],
      },
    );
  }
}

/** Parses JSON after checking nesting depth without recursion (a deep body cannot blow the stack). */
export function parseJson(bytes: Buffer): unknown {
  const text = bytes.toString('utf8');
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > MAX_JSON_DEPTH) {
        throw new ValidationError(`the body nests deeper than ${MAX_JSON_DEPTH} levels`, {
          errors: [{ field: '', message: `nesting deeper than ${MAX_JSON_DEPTH}` }],
        });
      }
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // V8's message quotes the body; do not reflect it.
    throw new MalformedJsonError('the body is not valid JSON', {
      cause: error,
      errors: [{ field: '', message: 'not valid JSON' }],
    });
  }
}
