/**
 * What the API answers about reminders: the plan for a case, the ones that reached nobody,
 * GOV.UK Notify's delivery receipts for their messages, and the calendar invitations some of
 * them link to.
 */
import { CaseId, Instant } from './event-fields.js';
import { page, TeamId, UtcInstant } from './response-fields.js';
import * as z from './zod.js';

/**
 * One planned reminder. Recipients are personIds and roles only: never a name, email address
 * or phone number (the directory holds those; this list is for case workers and dashboards).
 */
export const ReminderView = z
  .object({
    id: z.string().check(z.describe('reminder id: `<deadlineId>.<step>.<due minute, base 36>`')),
    rule: z.string(),
    deadlineId: z.string(),
    step: z.string().check(z.describe('the plan step, e.g. b10wd, day, o1wd, p50')),
    fireAt: UtcInstant.check(
      z.describe('when the reminder fires (routing may hold it to an opening)'),
    ),
    late: z
      .boolean()
      .check(z.describe('its planned time had passed when the clock started: sent at once')),
    urgent: z
      .boolean()
      .check(z.describe('urgent reminders go at once; out of hours to the EDT on call')),
    status: z
      .enum(['planned', 'sent', 'skipped', 'deferred', 'failed', 'unrouted'])
      .check(
        z.describe(
          'planned: not fired yet; sent: reached someone it was meant for; skipped: its time passed before the clock existed (a later step, or the breach, covers it); deferred: held to a recipient’s opening; failed: the send failed; unrouted: reached nobody it was meant for, the fallback contact was told',
        ),
      ),
    to: z
      .array(
        z.object({ role: z.string(), escalate: z.number().check(z.int(), z.gte(0), z.lte(2)) }),
      )
      .check(
        z.describe(
          "the roles the plan names; escalate 1 = the holder's manager, 2 = head of service",
        ),
      ),
    channels: z.array(z.enum(['email', 'sms'])),
    recipients: z
      .array(
        z.object({
          personId: z.string(),
          role: z
            .optional(z.string())
            .check(z.describe("the person's role on the case, if they hold one")),
          via: z
            .enum(['direct', 'delegate', 'edt', 'fallback'])
            .check(
              z.describe(
                'fallback: the authority’s fallback contact (personId "@fallback"), because nobody it was meant for can be reached',
              ),
            ),
          forPersonId: z
            .string()
            .check(z.describe('the person the plan meant (before delegate or EDT)')),
        }),
      )
      .check(z.describe('who it goes to if nothing changes before fireAt')),
    unroutable: z
      .array(
        z.object({
          role: z.optional(z.string()),
          personId: z.optional(z.string()),
          reason: z.string(),
          channel: z
            .optional(z.enum(['email', 'sms']))
            .check(z.describe('no-contact: the channel the person has no address for')),
        }),
      )
      .check(
        z.describe(
          'recipients that cannot be resolved today (no worker in the role, no manager, …)',
        ),
      ),
    sends: z
      .array(
        z.object({
          personId: z.string(),
          channel: z.enum(['email', 'sms']),
          via: z.optional(z.string()),
          otherChannel: z
            .optional(z.boolean())
            .check(z.describe('sent to the person’s other channel because the first failed')),
          sentAt: UtcInstant,
          sendId: z
            .string()
            .check(z.describe('the id the provider was given (GOV.UK Notify’s reference)')),
          delivery: z
            .object({
              state: z
                .enum([
                  'sent',
                  'delivered',
                  'temporary-failure',
                  'permanent-failure',
                  'technical-failure',
                ])
                .check(
                  z.describe(
                    'sent: the provider took it, no receipt yet; else what its receipt said (GOV.UK Notify’s vocabulary; SES and SMS events mapped onto it)',
                  ),
                ),
              at: z.optional(UtcInstant),
              words: z
                .string()
                .check(
                  z.describe(
                    'in plain words, e.g. "Not delivered: the phone number is not in use"',
                  ),
                ),
              late: z.optional(
                z
                  .array(z.object({ state: z.string(), at: UtcInstant }))
                  .check(z.describe('receipts after the first: recorded, they changed nothing')),
              ),
            })
            .check(z.meta({ id: 'Delivery' })),
        }),
      )
      .check(z.describe('each message that went for this reminder, with its delivery')),
  })
  .check(z.meta({ id: 'Reminder' }));
export type ReminderView = z.infer<typeof ReminderView>;

export const ReminderList = z
  .object({
    caseId: CaseId,
    reminders: z.array(ReminderView).check(z.describe('in firing order')),
  })
  .check(z.meta({ id: 'ReminderList' }));
export type ReminderList = z.infer<typeof ReminderList>;

/** One reminder that reached nobody it was meant for. Ids and roles only. */
export const UnroutedView = z
  .object({
    at: UtcInstant.check(z.describe('when the reminder was due to fire')),
    team: z.string(),
    caseId: CaseId,
    deadlineId: z.string(),
    rule: z.string(),
    step: z.string(),
    reminderId: z.string(),
    missing: z.array(
      z.object({
        reason: z
          .string()
          .check(
            z.describe(
              'no-worker-in-role, no-manager, unknown-person, no-edt-on-call, no-contact; undelivered: the person’s message was not delivered (see delivery)',
            ),
          ),
        role: z.optional(z.string()),
        personId: z.optional(z.string()),
        channel: z.optional(z.enum(['email', 'sms'])),
        delivery: z.optional(
          z
            .string()
            .check(z.describe('undelivered: what the receipt said, e.g. permanent-failure')),
        ),
      }),
    ),
    fix: z.array(z.string()).check(z.describe('the events that would fix it')),
    fallback: z
      .enum(['sent', 'failed', 'none'])
      .check(z.describe('whether the fallback contact was told (none: no fallback configured)')),
  })
  .check(z.meta({ id: 'UnroutedReminder' }));
export type UnroutedView = z.infer<typeof UnroutedView>;

export const UnroutedList = z
  .object({
    reminders: z.array(UnroutedView).check(z.describe('newest first')),
    nextCursor: z.optional(z.string()).check(z.describe('pass as `cursor` to get the next page')),
  })
  .check(z.meta({ id: 'UnroutedList' }));
export type UnroutedList = z.infer<typeof UnroutedList>;

/** `GET /v1/reminders/unrouted` query: the routing gaps managers must close. */
export const UnroutedQuery = z.strictObject({
  since: z
    .optional(Instant)
    .check(z.describe('only reminders due to fire at or after this instant')),
  team: z.optional(TeamId),
  ...page,
});
export type UnroutedQuery = z.infer<typeof UnroutedQuery>;

/** What a GOV.UK Notify callback came to (202 whatever it was: Notify need not send it again). */
export const NotifyCallbackResult = z
  .object({
    status: z
      .enum(['recorded', 'duplicate', 'late', 'unknown', 'on-its-way'])
      .check(
        z.describe(
          'recorded: the send’s first receipt; duplicate: the same receipt again; late: after another settled the send (recorded, changes nothing); unknown: no send of ours has this reference (logged and counted); on-its-way: created, sending, pending or sent (changes nothing)',
        ),
      ),
  })
  .check(z.meta({ id: 'NotifyCallbackResult' }));

/** `GET /v1/invitations/{file}`: the invitation's token and `.ics`. */
export const InvitationParams = z.object({
  file: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{22}\.ics$/, '<token>.ics'),
      z.describe('the invitation’s token (an HMAC of its send id) and .ics'),
    ),
});

export const CalendarFile = z.string().check(z.describe('an iCalendar (RFC 5545) invitation'));
