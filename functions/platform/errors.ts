/**
 * What the edge refuses before a use case runs: a request's transport (signature, size,
 * content type, JSON syntax, method). Plain errors like the use cases' own
 * (`functions/kernel/errors.ts`); `toProblem` (in `http.ts`) gives every one its status.
 */
import { DomainError, type DomainErrorOptions } from '#kernel/errors.js';

export class MalformedJsonError extends DomainError {
  override readonly name = 'MalformedJsonError';
}

export class UnauthorizedError extends DomainError {
  override readonly name = 'UnauthorizedError';
}

export class MethodNotAllowedError extends DomainError {
  override readonly name = 'MethodNotAllowedError';

  /** The methods the path does take: the answer's `Allow` header. */
  constructor(
    message: string,
    readonly allow: readonly string[],
    options: DomainErrorOptions = {},
  ) {
    super(message, options);
  }
}

export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
}

export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
}
