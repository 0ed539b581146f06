/**
 * Response bodies and query parameters of the API: validated at the edge, rendered into
 * `schemas/openapi.json` by `scripts/generate-openapi.ts`.
 */
import { CaseId, crossFields, fromBeforeTo, Instant, PersonId } from './events.js';
import * as z from './zod.js';

export const DeadlineStatus = z.enum(['open', 'met', 'breached', 'cancelled']);
export type DeadlineStatus = z.infer<typeof DeadlineStatus>;

/** Instants in responses are UTC ISO-8601 with a `Z` offset, e.g. 2026-03-30T16:00:00.000Z. */
const UtcInstant = z.string().check(z.describe('ISO-8601 instant in UTC (Z offset)'));

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

const TeamId = z
  .string()
  .check(
    z.minLength(1),
    z.maxLength(64),
    z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
  );

/** `GET /v1/reminders/unrouted` query: the routing gaps managers must close. */
export const UnroutedQuery = z.strictObject({
  since: z
    .optional(Instant)
    .check(z.describe('only reminders due to fire at or after this instant')),
  team: z.optional(TeamId),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type UnroutedQuery = z.infer<typeof UnroutedQuery>;

/** Path parameters of the `/v1/cases/{caseId}` routes. */
export const CaseParams = z.object({ caseId: CaseId.check(z.meta({ example: 'C-1001' })) });

/** `GET /v1/deadlines` query: a manager's list. */
export const DeadlineQuery = z.strictObject({
  status: z._default(DeadlineStatus, 'open'),
  dueBefore: z
    .optional(Instant)
    .check(z.describe('only deadlines due strictly before this instant')),
  team: z.optional(TeamId),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type DeadlineQuery = z.infer<typeof DeadlineQuery>;

/** An acknowledgement, as the API shows it: roles and ids, never contact details. */
export const AlertAckView = z
  .object({
    at: UtcInstant,
    via: z.enum(['link', 'sms', 'api']),
    by: z
      .string()
      .check(
        z.describe(
          'who acknowledged: 1 (the EDT manager on call), 2 (the senior manager on call), fallback (the duty inbox), integration (the API)',
        ),
      ),
    personId: z.optional(z.string()),
    alertId: z.string().check(z.describe('the alert whose link, reply or API call acknowledged')),
  })
  .check(z.meta({ id: 'AlertAck' }));
export type AlertAckView = z.infer<typeof AlertAckView>;

/** One out-of-hours alert. Ids and roles only. */
export const AlertView = z
  .object({
    alertId: z.string().check(z.describe('8 base64url characters; the ack link carries it')),
    caseId: CaseId,
    deadlineId: z.string(),
    rule: z.string(),
    step: z
      .string()
      .check(
        z.describe('the plan step that alerted (p50, breach, …), or the escalation (esc2, escf)'),
      ),
    tier: z
      .string()
      .check(
        z.describe(
          '1: the EDT manager on call; 2: the senior manager on call; fallback: the duty inbox',
        ),
      ),
    personId: z.string().check(z.describe('who it went to (@fallback: the fallback contact)')),
    phase: z.enum(['open', 'breached']),
    sentAt: UtcInstant,
    dueAt: UtcInstant,
    validUntil: UtcInstant.check(z.describe('its ack link works until then')),
    status: z.enum(['open', 'acknowledged']),
    ack: z.optional(AlertAckView),
  })
  .check(z.meta({ id: 'Alert' }));
export type AlertView = z.infer<typeof AlertView>;

export const AlertList = z
  .object({
    alerts: z.array(AlertView).check(z.describe('newest first')),
    nextCursor: z.optional(z.string()).check(z.describe('pass as `cursor` to get the next page')),
  })
  .check(z.meta({ id: 'AlertList' }));
export type AlertList = z.infer<typeof AlertList>;

/** `GET /v1/alerts` query. */
export const AlertQuery = z.strictObject({
  status: z._default(z.enum(['open', 'acknowledged']), 'open'),
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
});
export type AlertQuery = z.infer<typeof AlertQuery>;

export const AlertParams = z.object({
  alertId: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{8}$/, '8 base64url characters'),
      z.meta({ example: 'Xk3_a9Qz' }),
    ),
});

/** `POST /v1/alerts/{alertId}/ack`: the alert after it, and whether this call changed anything. */
export const AckResult = z
  .object({
    changed: z
      .boolean()
      .check(z.describe('false: the clock was already acknowledged (by this alert or another)')),
    alert: AlertView,
    // The acknowledgement that covers the alert (a described copy would clash with its id).
    ack: AlertAckView,
  })
  .check(z.meta({ id: 'AckResult' }));
export type AckResult = z.infer<typeof AckResult>;

/** The ack link's path parameter: the token (base64url). */
export const AckTokenParams = z.object({
  token: z
    .string()
    .check(
      z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'base64url'),
      z.describe('the signed token of the ack link (alert id, expiry, HMAC)'),
    ),
});

/** An HTML page (the ack link's routes answer pages, not JSON). */
export const HtmlPage = z.string().check(z.describe('an HTML page'));

/** Page size and cursor of the directory's lists. */
const page = {
  limit: z._default(z.coerce.number().check(z.int(), z.gte(1), z.lte(500)), 100),
  cursor: z.optional(z.string().check(z.maxLength(2048))),
};
const NextCursor = z
  .optional(z.string())
  .check(z.describe('pass as `cursor` to get the next page; absent on the last'));

/** A professional in the directory, as the HR reconciliation needs them. */
export const PersonView = z
  .object({
    personId: z.string(),
    name: z.string(),
    email: z.string(),
    phone: z.optional(z.string()),
    team: z.optional(z.string()),
    managerId: z.optional(z.string()),
    updatedAt: UtcInstant.check(
      z.describe('when the profile last changed (its event’s occurredAt)'),
    ),
  })
  .check(z.meta({ id: 'Person' }));
export type PersonView = z.infer<typeof PersonView>;

export const PersonList = z
  .object({ people: z.array(PersonView).check(z.describe('by person id')), nextCursor: NextCursor })
  .check(z.meta({ id: 'PersonList' }));
export type PersonList = z.infer<typeof PersonList>;

export const AwayView = z
  .object({
    from: UtcInstant,
    to: UtcInstant,
    delegateId: z.string().check(z.describe('who their reminders go to meanwhile')),
  })
  .check(z.meta({ id: 'AwayPeriod' }));

export const PersonDetail = z
  .object({
    person: PersonView,
    away: z.array(AwayView).check(z.describe('every away period recorded, oldest first')),
    delegates: z
      .array(z.string())
      .check(z.describe('the distinct delegates those periods name, in order of first naming')),
  })
  .check(z.meta({ id: 'PersonDetail' }));
export type PersonDetail = z.infer<typeof PersonDetail>;

export const RotaShiftView = z
  .object({
    personId: z.string(),
    from: UtcInstant,
    to: UtcInstant,
    tier: z
      .optional(z.string())
      .check(z.describe('2: the senior manager on call; absent: tier 1, the EDT manager on call')),
  })
  .check(z.meta({ id: 'RotaShift' }));
export type RotaShiftView = z.infer<typeof RotaShiftView>;

export const RotaList = z
  .object({
    shifts: z.array(RotaShiftView).check(z.describe('by start, then person')),
    nextCursor: NextCursor,
  })
  .check(z.meta({ id: 'RotaList' }));
export type RotaList = z.infer<typeof RotaList>;

/** Path parameters of `/v1/people/{personId}`. */
export const PersonParams = z.object({ personId: PersonId.check(z.meta({ example: 'P-0001' })) });

/** `GET /v1/people` query. */
export const PeopleQuery = z.strictObject({
  team: z.optional(
    z
      .string()
      .check(
        z.minLength(1),
        z.maxLength(64),
        z.regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : - only'),
      ),
  ),
  ...page,
});
export type PeopleQuery = z.infer<typeof PeopleQuery>;

/** The longest window `GET /v1/rota` answers for. */
export const MAX_ROTA_DAYS = 92;

const rotaWindow = crossFields<{ from: string; to: string }>(fromBeforeTo, {
  field: 'to',
  rule: 'at-most-days-after',
  other: 'from',
  days: MAX_ROTA_DAYS,
  message: `the window may be at most ${MAX_ROTA_DAYS} days`,
  holds: (q) => Date.parse(q.to) - Date.parse(q.from) <= MAX_ROTA_DAYS * 86_400_000,
});

/**
 * `GET /v1/rota` query: the shifts overlapping [from, to). The window's rules are on `to` in
 * the OpenAPI document (query parameters have no object to carry them).
 */
export const RotaQuery = z
  .strictObject({
    from: Instant.check(z.describe('the window’s start (inclusive)')),
    to: Instant.check(
      z.describe(`the window’s end (exclusive): after \`from\`, at most ${MAX_ROTA_DAYS} days on`),
      rotaWindow.meta,
    ),
    ...page,
  })
  .check(...rotaWindow.checks);
export type RotaQuery = z.infer<typeof RotaQuery>;

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

/** What a received text message did (a reply to an alert). */
export const ReceivedTextResult = z
  .object({
    status: z
      .enum(['acknowledged', 'already', 'not-an-ack', 'no-open-alert'])
      .check(z.describe('as a two-way SMS reply: its first word YES acknowledges')),
    alertId: z.optional(z.string()),
  })
  .check(z.meta({ id: 'ReceivedTextResult' }));

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
