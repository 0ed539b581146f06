/**
 * The Working Together 2023 clocks in the engine: a case's division and where the rules are on.
 * Expected due times are worked by hand from docs/domain.md.
 */
import { describe, expect, it } from 'vitest';
import { createCalendar } from '#kernel/calendar/index.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { applyEvent, type EngineContext } from '#kernel/engine/index.js';
import { loadRuleSet } from '#kernel/rules/index.js';
import { deadline, ev, opened, play, WORKING_TOGETHER_RULES } from './helpers.js';
import { AUTHORITY, deliver } from './working-together-support.js';

describe("a case's division", () => {
  it('changing it recomputes the open clocks on the new bank holidays', () => {
    // Prepare: R1 of docs/domain.md in England, Tue 26 Aug 2025 17:00 BST.
    const engine = makeCaseEngine(AUTHORITY);
    const english = deliver(engine, [
      { event: opened('2025-08-22T13:00:00Z') },
      { event: ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }) },
    ]);
    expect(deadline(english.aggregate, 'referral-decision.R-1').dueAt.toISOString()).toBe(
      '2025-08-26T16:00:00.000Z',
    );

    // Act
    const { aggregate, audit } = deliver(
      engine,
      [{ event: ev('case.updated', '2025-08-22T15:00:00Z', { division: 'scotland' }) }],
      english.aggregate,
    );

    // Assess: R2, Mon 25 Aug 2025 17:00 BST, on Scotland's calendar (its own version).
    const d = deadline(aggregate, 'referral-decision.R-1');
    expect(d.dueAt.toISOString()).toBe('2025-08-25T16:00:00.000Z');
    expect(d.calendarVersion).toBe(engine.calendarFor('scotland').version);
    expect(d.calendarVersion).not.toBe(engine.calendar.version);
    expect(audit.find((a) => a.kind === 'recomputed')?.detail).toMatchObject({
      reason: 'case changed: division',
    });
    expect(engine.isStale(aggregate)).toBe(false);
  });

  it('the explanation names the holiday skipped: the Battle of the Boyne for a Northern Irish case', () => {
    // Act: R3 of docs/domain.md, on the built-in tables (no feed).
    const engine = makeCaseEngine(AUTHORITY);
    const { aggregate } = deliver(engine, [
      { event: opened('2025-07-11T08:00:00Z', { division: 'northern-ireland' }) },
      { event: ev('referral.received', '2025-07-11T09:00:00Z', { referralId: 'R-1' }) },
    ]);

    // Assess: Tue 15 Jul 2025 17:00 BST.
    const d = deadline(aggregate, 'referral-decision.R-1');
    expect(d.dueAt.toISOString()).toBe('2025-07-15T16:00:00.000Z');
    expect(d.explain.join(' ')).toContain(
      'Battle of the Boyne (Orangemen’s Day) (substitute day), a bank holiday in Northern Ireland',
    );
  });

  it('keeps the authority’s hours and closures on another division’s holidays', () => {
    // Prepare: an English authority closed on Mon 25 Aug 2025 that shuts at 16:00.
    const engine = makeCaseEngine({
      ...AUTHORITY,
      closures: ['2025-08-25'],
      officeHours: {
        '1': { open: '09:00', close: '16:00' },
        '2': { open: '09:00', close: '16:00' },
        '3': { open: '09:00', close: '16:00' },
        '4': { open: '09:00', close: '16:00' },
        '5': { open: '09:00', close: '16:00' },
      },
    });

    // Act: a Scottish referral on Fri 22 Aug 2025.
    const { aggregate } = deliver(engine, [
      { event: opened('2025-08-22T08:00:00Z', { division: 'scotland' }) },
      { event: ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }) },
    ]);

    // Assess: Mon 25 Aug is a working day in Scotland but the authority's closure day: Tue 26,
    // at the authority's 16:00 close (15:00Z).
    expect(deadline(aggregate, 'referral-decision.R-1').dueAt.toISOString()).toBe(
      '2025-08-26T15:00:00.000Z',
    );
    expect(engine.calendarFor('scotland')).toBe(engine.calendarFor('scotland'));
  });

  it('the pure engine without calendarFor keeps every case on the authority calendar', () => {
    // Prepare
    const ctx: EngineContext = {
      calendar: createCalendar({ division: 'england-and-wales' }),
      rules: loadRuleSet(),
      now: new Date('2025-08-22T14:30:00Z'),
    };

    // Act
    const first = applyEvent(
      undefined,
      opened('2025-08-22T08:00:00Z', { division: 'scotland' }),
      ctx,
    );
    const { aggregate } = applyEvent(
      first.aggregate,
      ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
      ctx,
    );

    // Assess: England's Tue 26 Aug.
    expect(deadline(aggregate, 'referral-decision.R-1').dueAt.toISOString()).toBe(
      '2025-08-26T16:00:00.000Z',
    );
  });
});

describe('where the Working Together rules are on', () => {
  it('off by default in a Scottish or Northern Irish authority, each switched on by configuration', () => {
    // Act
    const scottish = loadRuleSet('southampton', {}, { division: 'scotland' });
    const irish = loadRuleSet(
      'southampton',
      { rules: { 'cla-visit': { enabled: true } } },
      {
        division: 'northern-ireland',
      },
    );

    // Assess: England's statutory clocks and its LADO role are off; local practice stays on.
    expect(scottish.disabled.map((r) => r.id)).toEqual([
      'lado-notification',
      'lado-response',
      ...WORKING_TOGETHER_RULES,
    ]);
    expect(scottish.get('lado-notification')).toBeUndefined();
    expect(scottish.get('disagreement')).toBeDefined();
    expect(irish.get('cla-visit')).toBeDefined();
    expect(irish.get('cp-visit')).toBeUndefined();
  });

  it('on in England and Wales, each switched off by configuration', () => {
    // Act
    const rules = loadRuleSet('norfolk', { rules: { 'cp-visit': { enabled: false } } });

    // Assess
    expect(rules.get('cp-visit')).toBeUndefined();
    expect(rules.disabled.map((r) => r.id)).toEqual(['cp-visit']);
    expect(rules.get('core-group')).toBeDefined();
  });

  it('Wales: 42 working days for the assessment, two visit clocks, the Welsh regulations cited', () => {
    // Act
    const wales = loadRuleSet('southampton', { nation: 'wales' });
    const england = loadRuleSet('southampton');

    // Assess
    expect(wales.get('assessment')?.clock).toEqual({ unit: 'working-days', amount: 42 });
    expect(wales.get('cp-visit')?.stop).toEqual([
      { type: 'visit.made', kind: 'cp', seenAlone: true },
    ]);
    expect(wales.get('cp-home-visit')).toMatchObject({
      clock: { unit: 'weeks', amount: 4 },
      stop: [{ type: 'visit.made', kind: 'cp', atHome: true }],
      safeguarding: true,
    });
    expect(england.get('cp-home-visit')).toBeUndefined();
    expect(wales.get('cla-visit')?.source.url).toBe(
      'https://www.legislation.gov.uk/wsi/2015/1818/regulation/31',
    );
    expect({ ...wales.get('cla-visit'), source: undefined, bases: undefined }).toEqual({
      ...england.get('cla-visit'),
      source: undefined,
      bases: undefined,
    });
    for (const id of [
      'referral-decision',
      'initial-conference',
      'review-conference',
      'core-group',
      'care-proceedings',
    ]) {
      expect(wales.get(id)).toEqual(england.get(id));
    }
  });

  it('a disabled rule starts no clock', () => {
    // Act
    const { aggregate } = play(
      [
        opened('2025-08-22T08:00:00Z'),
        ev('referral.received', '2025-08-22T14:30:00Z', { referralId: 'R-1' }),
      ],
      loadRuleSet('southampton', { rules: { assessment: { enabled: false } } }),
    );

    // Assess
    expect(aggregate.deadlines.map((d) => d.rule)).toEqual(['referral-decision']);
  });
});
