/**
 * An authority's configuration as the Lambdas read it (`AUTHORITY_CONFIG`): its bank-holiday
 * division, rule preset and overrides, reminder-plan overrides, hours, closures and links. The
 * CDK side validates the deployment's file with its own, fuller schema (`lib/config.ts`) and
 * passes this part on; the rule engine validates `rules` and `reminderPlans` again at cold
 * start (`makeCaseEngine`).
 */
import { Division } from './events.js';
import * as z from './zod.js';

const Hhmm = z.string().check(z.regex(/^([01][0-9]|2[0-3]):[0-5][0-9]$/, 'HH:MM'));
const DayHours = z.strictObject({ open: Hhmm, close: Hhmm });
const WeeklyHours = z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7']), DayHours);

/** The default of `ackWithinMinutes`. */
export const DEFAULT_ACK_WITHIN_MINUTES = 30;

/**
 * How long an urgent out-of-hours alert waits for acknowledgement before the senior manager
 * on call hears of it (and as long again before the fallback contact does): whole minutes, 5
 * to 240, default 30. The one definition: the deployment file (`lib/config.ts`) and the
 * Lambdas' `AUTHORITY_CONFIG` both use it, so neither accepts what the other refuses.
 */
export const AckWithinMinutes = z._default(
  z.number().check(z.int(), z.gte(5), z.lte(240)),
  DEFAULT_ACK_WITHIN_MINUTES,
);

/**
 * The council's name in text messages, where the full name would crowd out what to do (an
 * EDT often covers several councils, so every text names one): under 20 characters, e.g.
 * "Example BC". The one definition, as `AckWithinMinutes`.
 */
export const AuthorityShortName = z
  .string()
  .check(
    z.trim(),
    z.minLength(2, 'must name the council in 2 to 19 characters'),
    z.maxLength(19, 'must be under 20 characters (it starts every text message)'),
  );

export const AuthorityConfig = z.object({
  authority: z.string().check(z.minLength(1)),
  /** `AuthorityShortName`: texts use it in place of `authority`. */
  shortName: z.optional(AuthorityShortName),
  division: Division,
  preset: z.string().check(z.minLength(1), z.describe('rule preset, e.g. southampton or norfolk')),
  officeHours: z.optional(WeeklyHours),
  teamHours: z.optional(z.record(z.string(), WeeklyHours)),
  closures: z.optional(z.array(z.iso.date())),
  rules: z
    .optional(z.unknown())
    .check(z.describe('rule overrides (`RuleOverrides`), validated by the rule engine')),
  reminderPlans: z
    .optional(z.unknown())
    .check(z.describe('reminder-plan overrides by rule id, validated by `loadReminderPlans`')),
  links: z.object({
    caseUrlTemplate: z.string().check(z.minLength(1)),
    /**
     * Where ack links point (`<ackBaseUrl>/a/<token>`, at most 60 characters in all): a short
     * custom domain mapped to the API. Absent: alerts carry no link (an SMS reply or the API
     * still acknowledges them).
     */
    ackBaseUrl: z.optional(z.url()),
  }),
  /** `AckWithinMinutes`. @default 30 */
  ackWithinMinutes: z.optional(AckWithinMinutes),
  /**
   * The service's duty inbox: reminders that reach nobody they were meant for (and morning
   * digests with nobody to go to) go here. Required in the deployment file (`lib/config.ts`);
   * where absent (a bare test wiring) a routing gap is only logged, audited and counted.
   */
  fallbackContact: z.optional(
    z.object({
      email: z.email(),
      phone: z.optional(
        z.string().check(z.regex(/^\+[1-9][0-9]{7,14}$/, 'E.164 format, e.g. +447700900123')),
      ),
    }),
  ),
});
export type AuthorityConfig = z.infer<typeof AuthorityConfig>;
