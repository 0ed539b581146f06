/**
 * Which events a rule reacts to: an event type, narrowed by what the event says (its kind, a
 * referral's outcome, whether an enquiry needs a conference, what a visit saw).
 */
import { ConferenceKind, ReferralOutcome, SupervisionKind, VisitKind } from '#schemas/events.js';
import * as z from '#schemas/zod.js';

/** The `kind`s each event type carries, so a matcher's `kind` can be checked against its type. */
const KINDS_OF: Readonly<Record<string, readonly string[]>> = {
  'supervision.held': SupervisionKind.options,
  'conference.held': ConferenceKind.options,
  'visit.made': VisitKind.options,
};

/**
 * Which events a rule reacts to; `kind` narrows `supervision.held`, `conference.held` and
 * `visit.made`; `outcome` narrows `referral.decided` (one of these outcomes), `conference`
 * narrows `enquiry.concluded`, `seenAlone` and `atHome` narrow `visit.made` (the visit saw the
 * child alone, at home).
 */
export const EventMatcher = z
  .strictObject({
    type: z.enum([
      'case.opened',
      'case.updated',
      'case.closed',
      'lado.concern-raised',
      'lado.notified',
      'lado.responded',
      'disagreement.raised',
      'disagreement.resolved',
      'supervision.held',
      'coworking.started',
      'coworking.ended',
      'building-bridges.started',
      'building-bridges.ended',
      'referral.received',
      'referral.decided',
      'assessment.completed',
      'strategy-discussion.held',
      'conference.held',
      'cp-plan.started',
      'cp-plan.ended',
      'core-group.held',
      'visit.made',
      'placement.started',
      'placement.ended',
      'enquiry.concluded',
      'looked-after.started',
      'looked-after.ended',
      'cla-review.held',
      'proceedings.issued',
      'proceedings.extended',
      'proceedings.concluded',
    ]),
    kind: z.optional(
      z.enum([...SupervisionKind.options, ...ConferenceKind.options, ...VisitKind.options]),
    ),
    outcome: z.optional(z.array(ReferralOutcome).check(z.minLength(1))),
    conference: z.optional(z.boolean()),
    seenAlone: z.optional(z.literal(true)),
    atHome: z.optional(z.literal(true)),
  })
  .check(
    z.superRefine((m, ctx) => {
      const only = (field: keyof typeof m, type: string) => {
        if (m[field] !== undefined && m.type !== type)
          ctx.addIssue({ code: 'custom', path: [field], message: `only ${type} carries ${field}` });
      };
      only('outcome', 'referral.decided');
      only('conference', 'enquiry.concluded');
      only('seenAlone', 'visit.made');
      only('atHome', 'visit.made');
      if (m.kind === undefined) return;
      const kinds = KINDS_OF[m.type];
      if (kinds?.includes(m.kind)) return;
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message:
          kinds === undefined
            ? `${m.type} carries no kind`
            : `${m.type} kinds are ${kinds.join(', ')}`,
      });
    }),
  );
export type EventMatcher = z.infer<typeof EventMatcher>;
