/** RFC 9457 problem details: the body of every 4xx/5xx answer. */
import * as z from 'zod';

export const FieldErrorSchema = z
  .object({
    field: z
      .string()
      .describe('dotted path into the request, e.g. data.allegationId; "" for the whole body'),
    message: z.string(),
  })
  .meta({ id: 'FieldError' });

export const Problem = z
  .object({
    type: z.string().describe('URI naming the kind of problem'),
    title: z.string(),
    status: z.number().int().min(400).max(599),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z.array(FieldErrorSchema).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json)' });

export type Problem = z.infer<typeof Problem>;
