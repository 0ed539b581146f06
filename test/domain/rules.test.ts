import { describe, expect, it } from 'vitest';
import {
  buildRuleSet,
  DEFAULT_RULES,
  loadRuleSet,
  RuleValidationError,
} from '#kernel/rules/index.js';
import { DOMAIN_RULES } from './helpers.js';

describe('rule sets', () => {
  it('southampton (default) has every docs/domain.md timescale, with a 5-stage ladder', () => {
    // Act
    const rules = loadRuleSet();

    // Assess
    expect(rules.preset).toBe('southampton');
    expect(rules.rules.map((r) => r.id)).toEqual(DOMAIN_RULES);
    expect(rules.disabled).toEqual([]);
    expect(rules.get('disagreement')?.stages?.map((s) => s.name)).toEqual([
      'Discussion with line manager/safeguarding lead',
      'Inter-agency discussion',
      'Line manager/safeguarding lead inter-agency discussion',
      'Head/Director of Service inter-agency discussion',
      'Partnership Member discussion',
    ]);
    expect(rules.get('lado-notification')?.clock).toEqual({ unit: 'hours', amount: 24 });
    // The disagreement ladder is office work, not a safeguarding clock (seed 004's procedure).
    expect(rules.get('disagreement')).toMatchObject({ safeguarding: false, urgent: false });
  });

  it('every default rule names its source: kind, citation, and a legislation.gov.uk page for law', () => {
    // Act
    const rules = [
      ...loadRuleSet().rules,
      ...loadRuleSet('southampton', { nation: 'wales' }).rules,
    ];

    // Assess
    for (const rule of rules) {
      expect(rule.source.citation, rule.id).not.toBe('the authority’s own configuration');
      if (rule.source.kind === 'statute' || rule.source.kind === 'regulation')
        expect(rule.source.url, rule.id).toMatch(/^https:\/\/www\.legislation\.gov\.uk\//);
    }
    expect(loadRuleSet().get('cp-visit')?.source.kind).toBe('local-practice');
    expect(loadRuleSet().get('care-proceedings')?.source).toMatchObject({
      kind: 'statute',
      url: 'https://www.legislation.gov.uk/ukpga/1989/41/section/32',
    });
  });

  it('a rule an authority adds without a source is local practice, from its configuration', () => {
    // Act
    const rules = loadRuleSet('southampton', {
      rules: {
        'extra-visit': {
          version: 1,
          title: 'Extra visit',
          subject: 'referralId',
          start: [{ type: 'referral.received' }],
          stop: [{ type: 'assessment.completed' }],
          clock: { unit: 'weeks', amount: 2 },
        },
      },
    });

    // Assess
    expect(rules.get('extra-visit')?.source).toEqual({
      kind: 'local-practice',
      citation: 'the authority’s own configuration',
    });
  });

  it('norfolk has 4 stages', () => {
    // Act
    const rules = loadRuleSet('norfolk');

    // Assess
    expect(rules.get('disagreement')?.stages).toHaveLength(4);
    expect(rules.version).not.toBe(loadRuleSet('southampton').version);
  });

  it('combines a preset with the LADO one-working-day variant and per-rule overrides', () => {
    // Act
    const rules = loadRuleSet('norfolk', {
      ladoNotification: 'one-working-day',
      rules: { 'co-working-review': { enabled: false }, disagreement: { clock: { amount: 3 } } },
    });

    // Assess
    expect(rules.get('lado-notification')?.clock).toEqual({ unit: 'working-days', amount: 1 });
    expect(rules.get('co-working-review')).toBeUndefined();
    expect(rules.get('disagreement')?.clock).toEqual({ unit: 'working-days', amount: 3 });
    expect(rules.get('disagreement')?.stages).toHaveLength(4);
    expect(rules.ruleVersion('disagreement')).not.toBe(
      loadRuleSet('norfolk').ruleVersion('disagreement'),
    );
    expect(rules.ruleVersion('lado-response')).toBe(
      loadRuleSet('norfolk').ruleVersion('lado-response'),
    );
  });

  it('is deterministic: the same configuration has the same version', () => {
    // Act / Assess
    expect(loadRuleSet('southampton').version).toBe(loadRuleSet('southampton', {}).version);
  });

  it.each([
    [
      { rules: { disagreement: { clock: { unit: 'fortnights' } } } },
      /rule "disagreement" clock\.unit/,
    ],
    [
      { rules: { 'lado-response': { clock: { amount: -1 } } } },
      /rule "lado-response" clock\.amount: amount must be positive/,
    ],
    [
      { rules: { disagreement: { stages: [] } } },
      /rule "disagreement" stages: a stage ladder needs at least one stage/,
    ],
    [
      { rules: { 'joint-supervision': { clock: { amount: 12 } } } },
      /rule "joint-supervision" clock\.amount: must not exceed interval\.max \(6\)/,
    ],
    [
      { rules: { 'lado-notification': { reminders: [{ at: 'fraction', fraction: 0.5 }] } } },
      /rule "lado-notification" reminders: reminder steps are set under reminderPlans\.lado-notification/,
    ],
    [
      { rules: { 'cp-visit': { stop: [{ type: 'visit.made', kind: 'joint' }] } } },
      /rule "cp-visit" stop\.0\.kind: visit\.made kinds are cp, cla/,
    ],
    [
      {
        rules: { 'cla-visit': { later: { afterMonths: 0, clock: { unit: 'months', amount: 3 } } } },
      },
      /rule "cla-visit" later\.afterMonths/,
    ],
    [
      { rules: { 'referral-decision': { first: { unit: 'weeks', amount: 1 } } } },
      /rule "referral-decision" first: only a recurring rule \("while"\) has a first clock/,
    ],
    [
      { rules: { 'core-group': { stop: [{ type: 'referral.decided' }] } } },
      /rule "core-group" stop: a recurring rule is met by a meeting or visit/,
    ],
    [{ nation: 'scotland' }, /overrides\.nation/],
    [{ ladoNotification: 'two-days' }, /overrides\.ladoNotification/],
    [{ rules: { 'new-rule': { version: 1 } } }, /rule "new-rule" title/],
  ])('rejects bad data with a message naming rule and field (%#)', (overrides, message) => {
    // Act / Assess
    expect(() => loadRuleSet('southampton', overrides)).toThrow(RuleValidationError);
    expect(() => loadRuleSet('southampton', overrides)).toThrow(message);
  });

  it('rejects an unknown preset and duplicate ids', () => {
    // Act / Assess
    expect(() => loadRuleSet('atlantis')).toThrow(/preset: unknown "atlantis"/);
    expect(() => buildRuleSet('southampton', [DEFAULT_RULES[0], DEFAULT_RULES[0]])).toThrow(
      /rule "lado-notification": duplicate id/,
    );
  });
});
