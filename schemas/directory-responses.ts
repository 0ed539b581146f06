/**
 * What the API answers about the directory: the professionals, their away periods and
 * delegates, the on-call rota, and the queries that page through them.
 */
import { crossFields, fromBeforeTo, Instant, PersonId } from './event-fields.js';
import { page, TeamId, UtcInstant } from './response-fields.js';
import * as z from './zod.js';

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
  team: z.optional(TeamId),
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
