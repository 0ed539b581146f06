/** Maps AWS SDK errors to `ChannelError`: throttling and 5xx are retryable, the rest are not. */
import { ChannelError } from '../ports.js';

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'TooManyRequestsException',
  'Throttling',
  'InternalServerException',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'RequestTimeout',
  'TimeoutError',
]);

export function toChannelError(error: unknown, channel: string): ChannelError {
  if (error instanceof ChannelError) return error;
  const e = error as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    $retryable?: unknown;
  };
  const name = typeof e?.name === 'string' ? e.name : 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const retryable =
    RETRYABLE_NAMES.has(name) ||
    (typeof status === 'number' && (status >= 500 || status === 429)) ||
    e?.$retryable !== undefined;
  // The provider's message may echo the address: only the error name is kept.
  return new ChannelError(`${channel} send failed: ${name}`, {
    retryable,
    code: name,
    cause: error,
  });
}
