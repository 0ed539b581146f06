/** Reading a JSON request body defensively: size, content type, encoding, nesting and syntax. */
import { isUtf8 } from 'node:buffer';
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

/**
 * The body as text, refused unless it is UTF-8 (RFC 8259: JSON exchanged between systems is
 * UTF-8): decoding leniently would turn each invalid byte into U+FFFD and store what the
 * sender never sent. A byte order mark is kept, so JSON.parse refuses it as before.
 */
export function utf8Text(bytes: Buffer): string {
  if (isUtf8(bytes)) return bytes.toString('utf8');
  throw new MalformedJsonError('the body is not valid UTF-8', {
    errors: [
      { field: '', message: `byte ${firstInvalidByte(bytes)} is not part of a UTF-8 character` },
    ],
  });
}

/**
 * Where the first ill-formed sequence starts (RFC 3629, section 4: no overlong forms, no
 * surrogates, nothing above U+10FFFF); -1 if there is none.
 */
export function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i] as number;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const trail = lead >= 0xc2 && lead <= 0xdf ? 1 : lead >= 0xe0 && lead <= 0xef ? 2 : 3;
    if (lead < 0xc2 || lead > 0xf4) return i;
    // The second byte's range is narrower after these leads: it rules out overlong forms
    // (E0, F0), surrogates (ED) and code points past U+10FFFF (F4).
    const low = lead === 0xe0 ? 0xa0 : lead === 0xf0 ? 0x90 : 0x80;
    const high = lead === 0xed ? 0x9f : lead === 0xf4 ? 0x8f : 0xbf;
    for (let k = 1; k <= trail; k++) {
      const byte = bytes[i + k];
      if (byte === undefined || byte < (k === 1 ? low : 0x80) || byte > (k === 1 ? high : 0xbf))
        return i;
    }
    i += trail + 1;
  }
  return -1;
}

/**
 * Parses a UTF-8 JSON body after checking nesting depth without recursion (a deep body cannot
 * blow the stack).
 */
export function parseJson(bytes: Buffer): unknown {
  const text = utf8Text(bytes);
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
