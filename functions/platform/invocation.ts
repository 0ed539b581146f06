/**
 * When the running Lambda invocation must be done waiting: a margin before its timeout, so
 * that whatever it did is still recorded (a send that would wait past it gives up, not taken,
 * and the timer's retry sends it; a send made but never recorded would be made twice). Set
 * from the invocation's context by `lambda()`; with no context (local mode, tests) there is
 * no deadline. One invocation runs at a time in a Lambda container, so one value serves.
 */
import type { Context } from 'aws-lambda';

/**
 * Time kept back before the function's timeout: a send started just before the deadline may
 * take a provider call's whole timeout (10 s for Notify), then what was sent is recorded.
 */
export const RECORD_MARGIN_MS = 15_000;

let until = Number.POSITIVE_INFINITY;

/** The running invocation's deadline (epoch ms); infinite outside Lambda. */
export const invocationDeadline = (): number => until;

/**
 * Called as an invocation starts (its deadline from the time its context has left) and as it
 * ends (none: with no context).
 */
export function startInvocation(context: Partial<Context> | undefined, now = Date.now()): void {
  const left = context?.getRemainingTimeInMillis?.();
  until = left === undefined ? Number.POSITIVE_INFINITY : now + left - RECORD_MARGIN_MS;
}
