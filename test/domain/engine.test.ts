import { describe, expect, it } from 'vitest';
import { createCalendar } from '#kernel/calendar/index.js';
import { advance, applyEvent, EngineError, recompute } from '#kernel/engine/index.js';
import { loadRuleSet } from '#kernel/rules/index.js';
import * as z from '#schemas/zod.js';
import { calendar, ctxAt, deadline, due, ev, opened, play } from './helpers.js';

const raisedThursday = () =>
  play([
    opened('2026-11-18T09:00:00Z'),
    ev('disagreement.raised', '2026-11-19T10:00:00Z', { disagreementId: 'D-1' }),
  ]);

describe('recompute', () => {
  it('moves due times after a new closure day, with version++ and old/new in the audit', () => {
    // Prepare: due Mon 23 Nov 17:00 (Fri 20, Mon 23). The authority closes Fri 20 Nov:
    // working days after Thu 19 become Mon 23 (1), Tue 24 (2) → Tue 24 Nov 17:00Z.
    const { aggregate } = raisedThursday();
    const closed = createCalendar({ division: 'england-and-wales', closures: ['2026-11-20'] });

    // Act
    const r = recompute(aggregate, {
      calendar: closed,
      rules: loadRuleSet(),
      now: new Date('2026-11-19T12:00:00Z'),
    });

    // Assess
    const d = deadline(r.aggregate, 'disagreement.D-1');
    expect(d.dueAt.toISOString()).toBe('2026-11-24T17:00:00.000Z');
    expect(d.version).toBe(2);
    expect(d.calendarVersion).toBe(closed.version);
    expect(r.audit).toEqual([
      expect.objectContaining({
        kind: 'recomputed',
        deadlineId: 'disagreement.D-1',
        detail: expect.objectContaining({
          oldDueAt: '2026-11-23T17:00:00.000Z',
          newDueAt: '2026-11-24T17:00:00.000Z',
        }),
      }),
    ]);
  });

  it('applies a rule edit and stores the new rule version', () => {
    // Prepare: stage clock 3 working days: Fri 20, Mon 23, Tue 24 → Tue 24 Nov 17:00Z.
    const { aggregate } = raisedThursday();
    const edited = loadRuleSet('southampton', {
      rules: { disagreement: { version: 2, clock: { amount: 3 } } },
    });

    // Act
    const r = recompute(aggregate, ctxAt('2026-11-19T12:00:00Z', edited));

    // Assess
    expect(due(r.aggregate, 'disagreement.D-1')).toBe('2026-11-24T17:00:00.000Z');
    expect(deadline(r.aggregate, 'disagreement.D-1').ruleVersion).toMatch(/^2\./);
  });

  it('changes nothing when neither rules nor calendar changed', () => {
    // Prepare
    const { aggregate } = raisedThursday();

    // Act
    const r = recompute(aggregate, ctxAt('2026-11-19T12:00:00Z'));

    // Assess
    expect(r.aggregate).toBe(aggregate);
    expect(r.audit).toEqual([]);
  });
});

describe('applyEvent', () => {
  it('corrects a recorded breach when the stop happened in time but arrived late', () => {
    // Prepare: raised Mon 9 Nov 10:00Z → due Tue 10 Nov 10:00Z; breached by advance at 11:00Z.
    const raised = play([
      opened('2026-11-09T09:00:00Z'),
      ev('lado.concern-raised', '2026-11-09T10:00:00Z', { allegationId: 'A-1' }),
    ]);
    const breached = advance(raised.aggregate, ctxAt('2026-11-10T11:00:00Z')).aggregate;

    // Act: the notification happened at 09:30Z (in time) but reached us at 11:30Z.
    const r = applyEvent(
      breached,
      ev('lado.notified', '2026-11-10T09:30:00Z', { allegationId: 'A-1' }),
      ctxAt('2026-11-10T11:30:00Z'),
    );

    // Assess
    expect(deadline(breached, 'lado-notification.A-1').status).toBe('breached');
    expect(deadline(r.aggregate, 'lado-notification.A-1')).toMatchObject({
      status: 'met',
      version: 3,
    });
    expect(r.audit.map((a) => a.kind)).toContain('corrected');
  });

  it('never mutates the aggregate it is given', () => {
    // Prepare
    const { aggregate } = raisedThursday();
    const before = structuredClone(aggregate);

    // Act
    applyEvent(
      aggregate,
      ev('case.closed', '2026-11-20T10:00:00Z', {}),
      ctxAt('2026-11-20T10:00:00Z'),
    );
    advance(aggregate, ctxAt('2026-12-20T10:00:00Z'));
    recompute(aggregate, {
      calendar,
      rules: loadRuleSet('norfolk'),
      now: new Date('2026-11-20T10:00:00Z'),
    });

    // Assess
    expect(aggregate).toEqual(before);
  });

  it('refuses an event for another case', () => {
    // Prepare
    const { aggregate } = raisedThursday();

    // Act / Assess
    expect(() =>
      applyEvent(
        aggregate,
        ev('case.closed', '2026-11-20T10:00:00Z', {}, 'C-2002'),
        ctxAt('2026-11-20T10:00:00Z'),
      ),
    ).toThrow(EngineError);
  });

  it('round-trips through JSON with parseAggregate', async () => {
    // Prepare
    const { parseAggregate } = await import('#kernel/model.js');
    const { aggregate } = raisedThursday();

    // Act
    const revived = parseAggregate(JSON.parse(JSON.stringify(aggregate)));

    // Assess
    expect(revived).toEqual(aggregate);
  });

  it('revives every instant field of the schema when reading the store’s own JSON', async () => {
    // Prepare: every path in CaseAggregateSchema that holds a date, found by walking it, set
    // to an ISO string in an otherwise empty aggregate.
    const { CaseAggregateSchema, reviveStoredAggregate } = await import('#kernel/model.js');
    const paths: string[][] = [];
    const walk = (schema: z.ZodMiniType, path: string[]): void => {
      if (schema instanceof z.ZodMiniDate) paths.push(path);
      else if (schema instanceof z.ZodMiniOptional)
        walk(schema.def.innerType as z.ZodMiniType, path);
      else if (schema instanceof z.ZodMiniArray)
        walk(schema.def.element as z.ZodMiniType, [...path, '[]']);
      else if (schema instanceof z.ZodMiniRecord)
        walk(schema.def.valueType as z.ZodMiniType, [...path, 'joint']);
      else if (schema instanceof z.ZodMiniObject)
        for (const [key, child] of Object.entries(schema.shape))
          walk(child as z.ZodMiniType, [...path, key]);
    };
    walk(CaseAggregateSchema, []);
    const json: Record<string, unknown> = { deadlines: [] };
    for (const path of paths) {
      let node: Record<string, unknown> | unknown[] = json;
      path.forEach((key, i) => {
        const last = i === path.length - 1;
        const nextIsArray = path[i + 1] === '[]';
        if (key === '[]') {
          const list = node as unknown[];
          if (list.length === 0) list.push({});
          node = list[0] as Record<string, unknown>;
          return;
        }
        const record = node as Record<string, unknown>;
        if (last) record[key] = '2026-03-02T12:00:00.000Z';
        else record[key] ??= nextIsArray ? [] : {};
        node = record[key] as Record<string, unknown>;
      });
    }
    // Act
    const revived = reviveStoredAggregate(json) as unknown as Record<string, unknown>;
    // Assess: each of them is now a Date.
    expect(paths.length).toBeGreaterThanOrEqual(12);
    for (const path of paths) {
      const value = path.reduce<unknown>(
        (node, key) =>
          key === '[]' ? (node as unknown[])[0] : (node as Record<string, unknown>)[key],
        revived,
      );
      expect(value, path.join('.')).toEqual(new Date('2026-03-02T12:00:00.000Z'));
    }
  });

  it('revives the store’s JSON of a case through a whole lifecycle as the schema does', async () => {
    // Prepare: a stop seen before its start, then every kind of clock, stage and stop.
    const { parseAggregate, reviveStoredAggregate } = await import('#kernel/model.js');
    const steps = [
      ev('lado.notified', '2026-03-02T09:30:00Z', { allegationId: 'A-2' }),
      opened('2026-03-02T09:00:00Z', { jointWithMentalHealth: true, riskLevel: 'high' }),
      ev('lado.concern-raised', '2026-03-02T10:00:00Z', { allegationId: 'A-1' }),
      ev('disagreement.raised', '2026-03-02T11:00:00Z', { disagreementId: 'D-1' }),
      ev('supervision.held', '2026-03-03T10:00:00Z', { kind: 'joint' }),
      ev('coworking.started', '2026-03-03T11:00:00Z', { reviewEveryWeeks: 4 }),
      ev('building-bridges.started', '2026-03-04T09:00:00Z', { personId: 'P-0006' }),
      ev('lado.notified', '2026-03-04T10:00:00Z', { allegationId: 'A-1' }),
      ev('supervision.held', '2026-03-20T10:00:00Z', { kind: 'building-bridges' }),
      ev('disagreement.resolved', '2026-03-20T11:00:00Z', { disagreementId: 'D-1' }),
      ev('case.closed', '2026-04-01T10:00:00Z', {}),
    ];
    for (let n = 1; n <= steps.length; n++) {
      const { aggregate } = play(steps.slice(0, n));
      // Act
      const text = JSON.stringify(aggregate);
      // Assess
      expect(reviveStoredAggregate(JSON.parse(text))).toEqual(parseAggregate(JSON.parse(text)));
      expect(reviveStoredAggregate(JSON.parse(text))).toEqual(aggregate);
    }
  });
});
