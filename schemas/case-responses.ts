/**
 * What the API answers about a case: an accepted event (and what its reminders will lack),
 * the case's deadlines, facts and audit trail, and the queries that list them.
 */
import { CaseId, Instant } from './event-fields.js';
import { page, TeamId, UtcInstant } from './response-fields.js';
import * as z from './zod.js';

export const DeadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

/** What an accepted event leaves missing for its reminders (the event is applied all the same). */
export const EventWarning = z
  .object({
    code: z
      .enum(['no-worker-in-role', 'unknown-person', 'no-contact', 'outcome-missing'])
      .check(
        z.describe(
          'no-worker-in-role: a clock is running and no worker holds a role its reminders go to; unknown-person: the event names a person the directory does not hold; no-contact: a person the reminders need has no email, or no phone for an urgent SMS; outcome-missing: a referral decision names no outcome, so its assessment clock keeps running',
        ),
      ),
    field: z.optional(z.string()).check(z.describe('the field of the event it is about')),
    detail: z.string().check(z.describe('what is missing, and which event would fix it')),
  })
  .check(z.meta({ id: 'EventWarning' }));
export type EventWarning = z.infer<typeof EventWarning>;

export const EventAccepted = z
  .object({
    eventId: z.string(),
    status: z.literal('accepted'),
    caseId: z.nullable(CaseId).check(z.describe('null for directory events')),
    warnings: z
      .array(EventWarning)
      .check(
        z.describe(
          'what the reminders will lack (empty when nothing is missing); the same on every delivery of the event',
        ),
      ),
  })
  .check(z.meta({ id: 'EventAccepted' }));
export type EventAccepted = z.infer<typeof EventAccepted>;

export const DeadlineView = z
  .object({
    id: z.string(),
    caseId: CaseId,
    rule: z.string().check(z.describe('rule id, e.g. lado-notification')),
    status: DeadlineStatus,
    dueAt: UtcInstant.check(
      z.describe(
        'the working target reminders are planned around: close of business on the limit’s date, or the working day before',
      ),
    ),
    limitAt: z.optional(
      UtcInstant.check(
        z.describe(
          'the statutory limit: met by then is on time, breached only when it passes; for a clock counted in working days, weeks or months the London midnight that ends its date, for one counted in hours the same instant as dueAt (absent on deadlines stored before limits: read dueAt)',
        ),
      ),
    ),
    startedAt: z.optional(UtcInstant),
    closedAt: z.optional(UtcInstant),
    closedReason: z
      .optional(z.string())
      .check(z.describe('a cancelled clock: why it is no longer owed, in words a manager reads')),
    measure: z
      .optional(
        z.object({
          workingDays: z.number().check(z.int()),
          within: z.number().check(z.int()),
        }),
      )
      .check(
        z.describe(
          'assessment and initial conference: the DfE’s count — working days by date (England and Wales bank holidays) from the start to the stop — and the most it allows',
        ),
      ),
    metAt: z
      .optional(UtcInstant)
      .check(z.describe('a breached clock met late: when the stop event happened')),
    lateness: z
      .optional(
        z.object({
          amount: z.number().check(z.int()),
          unit: z.enum(['hours', 'working-hours', 'working-days']),
        }),
      )
      .check(z.describe('with metAt: how late, in whole units of the clock’s kind')),
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

/** Path parameters of the `/v1/cases/{caseId}` routes. */
export const CaseParams = z.object({ caseId: CaseId.check(z.meta({ example: 'C-1001' })) });

/** `GET /v1/deadlines` query: a manager's list. */
export const DeadlineQuery = z.strictObject({
  status: z._default(DeadlineStatus, 'open'),
  dueBefore: z
    .optional(Instant)
    .check(z.describe('only deadlines due strictly before this instant')),
  team: z.optional(TeamId),
  ...page,
});
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;
