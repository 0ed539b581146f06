/**
 * Response bodies and query parameters of the API: validated at the edge, rendered into
 * `schemas/openapi.json` by `scripts/generate-openapi.ts`.
 */
import { CaseId, Instant } from './events.js';
import * as z from './zod.js';

export const DeadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

/** Instants in responses are UTC ISO-8601 with a `Z` offset, e.g. 2026-03-30T16:00:00.000Z. */
const UtcInstant = z.string().check(z.describe('ISO-8601 instant in UTC (Z offset)'));

export const EventAccepted = z
  .object({
    eventId: z.string(),
    status: z.literal('accepted'),
    caseId: z.nullable(CaseId).check(z.describe('null for directory events')),
  })
  .check(z.meta({ id: 'EventAccepted' }));
export type EventAccepted = z.infer<typeof EventAccepted>;

export const DeadlineView = z
  .object({
    id: z.string(),
    caseId: CaseId,
    rule: z.string().check(z.describe('rule id, e.g. lado-notification')),
    status: DeadlineStatus,
    dueAt: UtcInstant,
    startedAt: z.optional(UtcInstant),
    closedAt: z.optional(UtcInstant),
    stage: z.optional(z.number().check(z.int())).check(z.describe('disagreement stage (1-based)')),
    stageName: z.optional(z.string()),
    subjectId: z.optional(z.string()).check(z.describe('allegation or disagreement id')),
    team: z.optional(z.string()),
    version: z.optional(z.number().check(z.int())),
    explain: z.array(z.string()).check(z.describe('how the due time was worked out')),
  })
  .check(z.meta({ id: 'Deadline' }));
export type DeadlineView = z.infer<typeof DeadlineView>;

export const DeadlineList = z
  .object({
    deadlines: z.array(DeadlineView),
    nextCursor: z.optional(z.string()).check(z.describe('pass as `cursor` to get the next page')),
  })
  .check(z.meta({ id: 'DeadlineList' }));
export type DeadlineList = z.infer<typeof DeadlineList>;

export const CaseView = z
  .object({
    caseId: CaseId,
    version: z
      .number()
      .check(z.int(), z.describe('store version; increases with every applied event')),
    updatedAt: UtcInstant,
    facts: z
      .record(z.string(), z.unknown())
      .check(
        z.describe('the case facts as the rule engine keeps them (team, risk level, workers, …)'),
      ),
  })
  .check(z.meta({ id: 'Case' }));
export type CaseView = z.infer<typeof CaseView>;

export const AuditView = z
  .object({
    at: UtcInstant,
    kind: z.string(),
    eventId: z.optional(z.string()),
    deadlineId: z.optional(z.string()),
    detail: z.optional(z.unknown()),
  })
  .check(z.meta({ id: 'AuditEntry' }));

export const AuditList = z
  .object({ caseId: CaseId, entries: z.array(AuditView) })
  .check(z.meta({ id: 'AuditList' }));
export type AuditList = z.infer<typeof AuditList>;

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
      .literal('planned')
      .check(z.describe('what happened at fire time is in the audit trail')),
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
          via: z.enum(['direct', 'delegate', 'edt']),
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
        }),
      )
      .check(
        z.describe(
          'recipients that cannot be resolved today (no worker in the role, no manager, …)',
        ),
      ),
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

/** Path parameters of the `/v1/cases/{caseId}` routes. */
export const CaseParams = z.object({ caseId: CaseId.check(z.meta({ example: 'C-1001' })) });

/** `GET /v1/deadlines` query: a manager's list. */
export const DeadlineQuery = z.strictObject({
  status: z._default(DeadlineStatus, 'open'),
  dueBefore: z
    .optional(Instant)
    .check(z.describe('only deadlines due strictly before this instant')),
  team: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
      ),
  ),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;
