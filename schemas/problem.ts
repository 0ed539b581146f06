/** RFC 9457 problem details: the body of every 4xx/5xx answer. */
import * as z from './zod.js';

export const FieldErrorSchema = z
  .object({
    field: z
      .string()
      .check(
        z.describe('dotted path into the request, e.g. data.allegationId; "" for the whole body'),
      ),
    message: z.string(),
  })
  .check(z.meta({ id: 'FieldError' }));

export const Problem = z
  .object({
    type: z.string().check(z.describe('URI naming the kind of problem')),
    title: z.string(),
    status: z.number().check(z.int(), z.gte(400), z.lte(599)),
    detail: z.optional(z.string()),
    instance: z.optional(z.string()),
    errors: z.optional(z.array(FieldErrorSchema)),
  })
  .check(
    z.meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' }),
  );

export type Problem = z.infer<typeof Problem>;
