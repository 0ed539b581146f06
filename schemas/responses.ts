/**
 * Response bodies and query parameters of the API: validated at the edge, rendered into
 * `schemas/openapi.json` by `scripts/generate-openapi.ts`.
 */
import * as z from 'zod';
import { CaseId, Instant } from './events.js';

export const DeadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

/** Instants in responses are UTC ISO-8601 with a `Z` offset, e.g. 2026-03-30T16:00:00.000Z. */
const UtcInstant = z.string().describe('ISO-8601 instant in UTC (Z offset)');

export const EventAccepted = z
  .object({
    eventId: z.string(),
    status: z.literal('accepted'),
    caseId: CaseId.nullable().describe('null for directory events'),
  })
  .meta({ id: 'EventAccepted' });
export type EventAccepted = z.infer<typeof EventAccepted>;

export const DeadlineView = z
  .object({
    id: z.string(),
    caseId: CaseId,
    rule: z.string().describe('rule id, e.g. lado-notification'),
    status: DeadlineStatus,
    dueAt: UtcInstant,
    startedAt: UtcInstant.optional(),
    closedAt: UtcInstant.optional(),
    stage: z.number().int().optional().describe('disagreement stage (1-based)'),
    stageName: z.string().optional(),
    subjectId: z.string().optional().describe('allegation or disagreement id'),
    team: z.string().optional(),
    version: z.number().int().optional(),
    explain: z.array(z.string()).describe('how the due time was worked out'),
  })
  .meta({ id: 'Deadline' });
export type DeadlineView = z.infer<typeof DeadlineView>;

export const DeadlineList = z
  .object({
    deadlines: z.array(DeadlineView),
    nextCursor: z.string().optional().describe('pass as `cursor` to get the next page'),
  })
  .meta({ id: 'DeadlineList' });
export type DeadlineList = z.infer<typeof DeadlineList>;

export const CaseView = z
  .object({
    caseId: CaseId,
    version: z.number().int().describe('store version; increases with every applied event'),
    updatedAt: UtcInstant,
    facts: z
      .record(z.string(), z.unknown())
      .describe('the case facts as the rule engine keeps them (team, risk level, workers, …)'),
  })
  .meta({ id: 'Case' });
export type CaseView = z.infer<typeof CaseView>;

export const AuditView = z
  .object({
    at: UtcInstant,
    kind: z.string(),
    eventId: z.string().optional(),
    deadlineId: z.string().optional(),
    detail: z.unknown().optional(),
  })
  .meta({ id: 'AuditEntry' });

export const AuditList = z
  .object({ caseId: CaseId, entries: z.array(AuditView) })
  .meta({ id: 'AuditList' });
export type AuditList = z.infer<typeof AuditList>;

/**
 * One planned reminder. Recipients are personIds and roles only: never a name, email address
 * or phone number (the directory holds those; this list is for case workers and dashboards).
 */
export const ReminderView = z
  .object({
    id: z.string().describe('reminder id: `<deadlineId>.<step>.<due minute, base 36>`'),
    rule: z.string(),
    deadlineId: z.string(),
    step: z.string().describe('the plan step, e.g. b10wd, day, o1wd, p50'),
    fireAt: UtcInstant.describe('when the reminder fires (routing may hold it to an opening)'),
    late: z.boolean().describe('its planned time had passed when the clock started: sent at once'),
    urgent: z.boolean().describe('urgent reminders go at once; out of hours to the EDT on call'),
    status: z.literal('planned').describe('what happened at fire time is in the audit trail'),
    to: z
      .array(z.object({ role: z.string(), escalate: z.number().int().min(0).max(2) }))
      .describe("the roles the plan names; escalate 1 = the holder's manager, 2 = head of service"),
    channels: z.array(z.enum(['email', 'sms'])),
    recipients: z
      .array(
        z.object({
          personId: z.string(),
          role: z.string().optional().describe("the person's role on the case, if they hold one"),
          via: z.enum(['direct', 'delegate', 'edt']),
          forPersonId: z.string().describe('the person the plan meant (before delegate or EDT)'),
        }),
      )
      .describe('who it goes to if nothing changes before fireAt'),
    unroutable: z
      .array(
        z.object({
          role: z.string().optional(),
          personId: z.string().optional(),
          reason: z.string(),
        }),
      )
      .describe('recipients that cannot be resolved today (no worker in the role, no manager, …)'),
  })
  .meta({ id: 'Reminder' });
export type ReminderView = z.infer<typeof ReminderView>;

export const ReminderList = z
  .object({ caseId: CaseId, reminders: z.array(ReminderView).describe('in firing order') })
  .meta({ id: 'ReminderList' });
export type ReminderList = z.infer<typeof ReminderList>;

export const CaseParams = z.object({ caseId: CaseId });

/** `GET /v1/deadlines` query: a manager's list. */
export const DeadlineQuery = z.strictObject({
  status: DeadlineStatus.default('open'),
  dueBefore: Instant.optional().describe('only deadlines due strictly before this instant'),
  team: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only')
    .optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(2048).optional(),
});
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;
