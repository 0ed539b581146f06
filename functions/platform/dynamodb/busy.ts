/**
 * DynamoDB's "busy, try again" as the domain's `StoreBusyError`: every adapter on the table
 * talks through `busyAware(client)`, so nothing above the adapters (use cases, the HTTP edge)
 * knows an SDK exception class. Nothing was written when one of these is thrown (a cancelled
 * transaction writes nothing), so the caller may retry.
 */
import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  RequestLimitExceeded,
  ThrottlingException,
  TransactionCanceledException,
  TransactionInProgressException,
} from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { StoreBusyError } from '#kernel/errors.js';

/** Cancellation reasons that mean "busy", not "refused". */
const BUSY_CANCELLATIONS = new Set([
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

/**
 * Cancellation reasons an adapter decides on itself: an event id already taken or a version
 * moved on (`ConditionalCheckFailed`), another transaction on the same items
 * (`TransactionConflict`, retried as a version conflict).
 */
const ADAPTER_CANCELLATIONS = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

/** True for the errors (after the SDK's own retries) that mean the table is busy. */
export function isBusy(error: unknown): boolean {
  if (error instanceof TransactionCanceledException) {
    // The SDK does not retry a cancelled transaction; one throttled item cancels them all.
    const codes = (error.CancellationReasons ?? []).map((r) => r.Code ?? '');
    return (
      codes.some((code) => BUSY_CANCELLATIONS.has(code)) &&
      !codes.some((code) => ADAPTER_CANCELLATIONS.has(code))
    );
  }
  return (
    error instanceof ProvisionedThroughputExceededException ||
    error instanceof RequestLimitExceeded ||
    error instanceof ThrottlingException ||
    error instanceof TransactionInProgressException ||
    error instanceof InternalServerError
  );
}

/** `error` as a `StoreBusyError` when it means "busy", else unchanged. */
export function storeError(error: unknown): unknown {
  return isBusy(error)
    ? new StoreBusyError('the store is busy; retry later', { cause: error })
    : error;
}

const wrapped = new WeakSet<DynamoDBDocumentClient>();

/**
 * The same client (still a `DynamoDBDocumentClient`, so `paginateQuery` takes it), whose
 * `send` rethrows "busy" errors as `StoreBusyError`. It calls the client's own `send` at each
 * call, so a test's `aws-sdk-client-mock` stub on that client is still what answers.
 */
export function busyAware(client: DynamoDBDocumentClient): DynamoDBDocumentClient {
  if (wrapped.has(client)) return client;
  const send = (...args: unknown[]): Promise<unknown> =>
    (Reflect.apply(client.send, client, args) as Promise<unknown>).catch((error: unknown) => {
      throw storeError(error);
    });
  const aware = Object.create(client, { send: { value: send } }) as DynamoDBDocumentClient;
  wrapped.add(aware);
  return aware;
}
