/**
 * GOV.UK Notify's callbacks as they arrive (`POST /v1/notify/delivery-receipts`,
 * `POST /v1/notify/received-text-messages`): only the fields we read are checked — Notify may
 * add others.
 */
import * as z from './zod.js';

const NotifyId = z.string().check(z.minLength(1), z.maxLength(100));
const Timestamp = z.nullable(z.optional(z.string().check(z.maxLength(64))));

/** Notify's delivery receipt (only what we read is checked; Notify may add fields). */
export const NotifyDeliveryReceipt = z.object({
  id: NotifyId,
  reference: z.nullable(z.optional(z.string().check(z.maxLength(1000)))),
  to: z.optional(z.string().check(z.maxLength(320))),
  status: z.string().check(z.minLength(1), z.maxLength(64)),
  created_at: Timestamp,
  completed_at: Timestamp,
  sent_at: Timestamp,
  notification_type: z.optional(z.enum(['email', 'sms', 'letter'])),
});

/** A text message Notify's inbound number received. */
export const NotifyReceivedText = z.object({
  id: NotifyId,
  source_number: z.string().check(z.regex(/^\+?[0-9]{7,20}$/, 'digits, e.g. 447700900111')),
  destination_number: z.optional(z.string().check(z.maxLength(32))),
  message: z.string().check(z.maxLength(1600)),
  date_received: Timestamp,
});
