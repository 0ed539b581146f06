/**
 * Field types the response modules share: how an instant is written in an answer, and the
 * team id, page size and cursor the list queries take.
 */
import { Id } from './event-fields.js';
import * as z from './zod.js';

/** Instants in responses are UTC ISO-8601 with a `Z` offset, e.g. 2026-03-30T16:00:00.000Z. */
export const UtcInstant = z.string().check(z.describe('ISO-8601 instant in UTC (Z offset)'));

/** A list filtered by team takes a team id written as the events write it. */
export const TeamId = Id;

/** Page size and cursor of every list query. */
export const page = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};
