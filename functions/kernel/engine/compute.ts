/**
 * A deadline's working target, statutory limit and explanation, worked out from its start, the
 * rule, the case and the calendar: every explanation names the rule's source.
 */
import { humanInstant, quantity } from '../calendar/explain.js';
import type { CaseAggregate, Deadline } from '../model.js';
import { type Rule, SOURCE_KIND_WORDS, type Source } from '../rules/index.js';
import {
  addClock,
  clockWords,
  type EffectiveClock,
  effectiveClock,
  hoursForRule,
  ladderStage,
} from './clock.js';
import { caseCalendar, type EngineContext } from './types.js';

export interface Computed {
  dueAt: Date;
  limitAt: Date;
  explain: string[];
  stage?: number;
  stageName?: string;
  stageStartedAt?: Date;
  escalateTo?: Deadline['escalateTo'];
}

/** "Source (regulation): … — https://…": the line that names where a timescale comes from. */
export function sourceLine(source: Source): string {
  return `Source (${SOURCE_KIND_WORDS[source.kind]}): ${source.citation}${source.url === undefined ? '' : ` — ${source.url}`}.`;
}

/**
 * Computes a deadline's working target, statutory limit (and stage fields) from its start, the
 * rule, the case and the calendar. `extensionWeeks` lengthens a subject clock (care
 * proceedings extended under s32(5)).
 */
export function compute(
  ctx: EngineContext,
  rule: Rule,
  agg: CaseAggregate,
  startedAt: Date,
  stage = 1,
  extensionWeeks = 0,
): Computed {
  const calendar = caseCalendar(ctx, agg);
  const hours = hoursForRule(calendar, rule);
  const hoursNote = rule.hoursTeam ? [`Uses the working hours of team ${rule.hoursTeam}.`] : [];
  if (rule.stages) {
    const s = rule.stages[stage - 1] ?? rule.stages[rule.stages.length - 1]!;
    const n = Math.min(stage, rule.stages.length);
    const { stageStartedAt, due } = ladderStage(calendar, rule, startedAt, n, hours);
    return {
      dueAt: due.due,
      limitAt: due.limit,
      stage: n,
      stageName: s.name,
      stageStartedAt,
      escalateTo: s.escalateTo,
      explain: [
        `${rule.title}: stage ${n} of ${rule.stages.length} (${s.name}), ${clockWords(s.clock ?? rule.clock)} from ${humanInstant(stageStartedAt.getTime())}.`,
        sourceLine(rule.source),
        ...hoursNote,
        ...due.explain,
      ],
    };
  }
  const effective: EffectiveClock = rule.while
    ? effectiveClock(rule, agg, startedAt)
    : subjectClock(rule, extensionWeeks);
  const due = addClock(calendar, startedAt, effective.clock, hours);
  return {
    dueAt: due.due,
    limitAt: due.limit,
    explain: [
      `${rule.title}: ${effective.why} ${effective.joiner ?? 'from'} ${effective.from === undefined ? '' : `${effective.from}, `}${humanInstant(startedAt.getTime())}${effective.note === undefined ? '' : `, ${effective.note}`}.`,
      sourceLine(effective.source ?? rule.source),
      ...hoursNote,
      ...due.explain,
    ],
  };
}

/** A subject rule's clock, lengthened by the weeks of extension granted. */
function subjectClock(rule: Rule, extensionWeeks: number): EffectiveClock {
  const clock = { ...rule.clock, amount: rule.clock.amount + extensionWeeks };
  const joiner = clock.beginningWith ? { joiner: 'beginning with' } : {};
  const why = quantity(clock.amount, clock.unit);
  if (extensionWeeks === 0) return { clock, why, ...joiner };
  return {
    clock,
    why,
    ...joiner,
    note: `${quantity(rule.clock.amount, rule.clock.unit)} and ${quantity(extensionWeeks, 'weeks')} by extension`,
  };
}

/** Computes a deadline again where it stands: its start, stage and extensions. */
export function computeAgain(
  ctx: EngineContext,
  agg: CaseAggregate,
  rule: Rule,
  d: Pick<Deadline, 'startedAt' | 'stage' | 'extensionWeeks'>,
): Computed {
  return compute(ctx, rule, agg, d.startedAt, d.stage ?? 1, d.extensionWeeks ?? 0);
}
