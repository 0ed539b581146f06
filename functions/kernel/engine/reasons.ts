/**
 * Why a clock stopped being owed, in the words a manager reads on the case page and in the
 * audit trail: the outcome or change that cancelled it.
 */
import type { CaseEvent } from '#schemas/events.js';
import { codeWords } from '../glossary.js';
import type { CaseCondition } from '../rules/index.js';

const OUTCOME_WORDS: Record<string, string> = {
  'early-help': 'early help',
  'no-further-action': 'no further action',
  assessment: 'an assessment',
  'strategy-discussion': 'a strategy discussion',
};

const ENDED_BY: Record<string, string> = {
  'case.closed': 'The case was closed.',
  'cp-plan.ended': 'The child protection plan ended.',
  'placement.ended': 'The placement ended.',
  'looked-after.ended': 'The child stopped being looked after.',
  'coworking.ended': 'Co-working ended.',
  'building-bridges.ended': 'The Building Bridges intervention ended.',
  'proceedings.concluded': 'The care proceedings concluded.',
};

/** Why `event` cancels a clock. */
export function cancelReason(event: CaseEvent): string {
  switch (event.type) {
    case 'referral.decided': {
      const outcome = event.data.outcome;
      const words = outcome === undefined ? 'without an outcome' : OUTCOME_WORDS[outcome];
      return `Referral ${event.data.referralId} was decided: ${words}. No assessment is owed.`;
    }
    case 'enquiry.concluded':
      return `Section 47 enquiry ${event.data.enquiryId} concluded that no initial child protection conference is needed.`;
    default:
      // An authority's own rule may cancel on any event: named in words, never by its type.
      return (
        ENDED_BY[event.type] ?? `Cancelled when the case system reported: ${codeWords(event.type)}.`
      );
  }
}

const CONDITION_ENDED: Record<CaseCondition, string> = {
  jointWithMentalHealth: 'Joint working with mental-health services ended.',
  coworking: 'Co-working ended.',
  buildingBridges: 'The Building Bridges intervention ended.',
  cpPlan: 'The child protection plan ended.',
  placement: 'The placement ended.',
  lookedAfter: 'The child stopped being looked after.',
};

const CONDITION_RESTARTED: Record<CaseCondition, string> = {
  jointWithMentalHealth: 'Joint working began again: its clocks start again.',
  coworking: 'Co-working began again: its clocks start again.',
  buildingBridges: 'Building Bridges began again: its clocks start again.',
  cpPlan: 'A new child protection plan began: its clocks start again.',
  placement: 'A new placement began: its own visits start again.',
  lookedAfter: 'The child became looked after again: the reviews start again.',
};

/** Why a recurring clock stopped being owed when its case condition ended or began again. */
export function conditionReason(condition: CaseCondition, restarted: boolean): string {
  return (restarted ? CONDITION_RESTARTED : CONDITION_ENDED)[condition];
}
