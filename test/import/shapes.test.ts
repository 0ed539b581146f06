/**
 * The CSV shapes: dates as Europe/London wall times, the cell parsers, telling a shape by its
 * header, naming a refused field's column, ids from content — and every shape's documented
 * example (docs/import.md) imports without a refusal.
 */
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { booleanOf, instantOf, workersOf } from '#functions/import/csv-shape.js';
import { importRows } from '#functions/import/import-file.js';
import { openRows } from '#functions/import/records.js';
import {
  ALL_SHAPES,
  availableShapes,
  columnOf,
  draftId,
  shapeForHeader,
  UnknownHeaderError,
} from '#functions/import/shapes.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { AUTHORITY } from '#test/api/support.js';
import { memoryStores } from '#test/support/memory-store.js';
import { noScheduler } from '#test/support/scheduler.js';

const shape = (name: string) => ALL_SHAPES.find((s) => s.name === name)!;

describe('dates in a file', () => {
  it.each([
    ['2030-03-04', '2030-03-04T00:00:00+00:00'], // GMT
    ['2030-07-01 09:30', '2030-07-01T09:30:00+01:00'], // BST
    ['2030-07-01T09:30:15', '2030-07-01T09:30:15+01:00'],
    ['04/03/2030', '2030-03-04T00:00:00+00:00'], // SSD's DD/MM/YYYY
    ['01/07/2030 17:00', '2030-07-01T17:00:00+01:00'],
    // 01:30 on 31 March 2030 does not exist (clocks go forward at 01:00): the hour after
    ['2030-03-31 01:30', '2030-03-31T02:30:00+01:00'],
    ['2030-07-01T09:30:00Z', '2030-07-01T09:30:00Z'], // an offset: as it is
    ['31/02/2030', '31/02/2030'], // not a date: left for the schema to refuse
    ['yesterday', 'yesterday'],
  ])('%s is %s', (text, instant) => {
    expect(instantOf(text)).toBe(instant);
  });

  it('a London wall time comes back as the same wall time (outside the skipped spring hour)', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2012-01-01T00:00:00Z'),
          max: new Date('2099-12-31T23:59:00Z'),
          noInvalidDate: true,
        }),
        (d) => {
          const wall = d.toISOString().slice(0, 16).replace('T', ' ');
          const result = instantOf(wall) as string;
          const skipped = result.slice(11, 16) !== wall.slice(11, 16);
          // Only 01:xx on the last Sunday of March moves (to 02:xx BST).
          if (skipped) {
            expect(d.getUTCMonth()).toBe(2);
            expect(d.getUTCDay()).toBe(0);
            expect(d.getUTCDate()).toBeGreaterThan(24);
            expect(d.getUTCHours()).toBe(1);
          } else {
            expect(result.slice(0, 16)).toBe(wall.replace(' ', 'T'));
            expect(Number.isNaN(Date.parse(result))).toBe(false);
          }
        },
      ),
    );
  });
});

describe('cells', () => {
  it('reads yes/no in the spellings extracts use, and leaves anything else for the schema', () => {
    expect(['Y', 'yes', 'TRUE', '1'].map(booleanOf)).toEqual([true, true, true, true]);
    expect(['N', 'no', 'false', '0'].map(booleanOf)).toEqual([false, false, false, false]);
    expect(booleanOf('maybe')).toBe('maybe');
  });

  it('reads workers as "<personId> <role>" pairs separated by ";"', () => {
    expect(workersOf('P-0001 allocated-worker;  P-0002 team-manager ;')).toEqual([
      { personId: 'P-0001', role: 'allocated-worker' },
      { personId: 'P-0002', role: 'team-manager' },
    ]);
    expect(workersOf('P-0001')).toEqual([{ personId: 'P-0001', role: undefined }]);
  });
});

describe('telling a shape by its header', () => {
  const shapes = ALL_SHAPES;

  it('picks the shape whose required columns are all there, the most specific first', () => {
    expect(shapeForHeader(['person_id', 'from', 'to'], shapes).name).toBe('rota');
    expect(shapeForHeader(['person_id', 'from', 'to', 'delegate_id'], shapes).name).toBe('away');
    expect(shapeForHeader([' case_id', 'kind ', 'held_at', 'notes'], shapes).name).toBe(
      'supervisions',
    );
  });

  it('says which columns each shape needs when none fits', () => {
    expect(() => shapeForHeader(['colour'], shapes)).toThrow(UnknownHeaderError);
    expect(() => shapeForHeader(['colour'], shapes)).toThrow(/cases \(case_id, opened_at, team\)/);
  });

  it('offers only the shapes whose events the schema knows', () => {
    const known = availableShapes(new Set(['case.opened', 'person.upserted']));
    expect(known.map((s) => s.name)).toEqual(['cases', 'ssd_professionals']);
  });
});

describe('a refused field’s column and a row’s event ids', () => {
  it('maps an event field, however deep, to the column that filled it', () => {
    expect(columnOf(shape('cases'), 'data.workers.0.role')).toBe('workers');
    expect(columnOf(shape('cases'), 'caseId')).toBe('case_id');
    expect(columnOf(shape('ssd_cin_episodes'), 'caseId')).toBe('cine_person_id');
    expect(columnOf(shape('cases'), 'type')).toBeUndefined();
  });

  it('derives the id from the content: key order does not matter, any change does', () => {
    const draft = {
      type: 'supervision.held',
      caseId: 'C-1',
      occurredAt: 'x',
      data: { kind: 'joint' },
    };
    const reordered = {
      data: { kind: 'joint' },
      occurredAt: 'x',
      caseId: 'C-1',
      type: 'supervision.held',
    };
    expect(draftId('supervisions', reordered)).toBe(draftId('supervisions', draft));
    expect(draftId('supervisions', { ...draft, occurredAt: 'y' })).not.toBe(
      draftId('supervisions', draft),
    );
    expect(draftId('ssd_cp_plans', draft)).toMatch(/^cp_plans-[0-9a-f]{16}$/);
  });
});

describe('the documented examples (docs/import.md)', () => {
  const doc = readFileSync(new URL('../../docs/import.md', import.meta.url), 'utf8');

  it.each(ALL_SHAPES.map((s) => [s.name, s]))(
    '%s: documented with its header and rows',
    (_name, s) => {
      expect(doc).toContain(s.example.join('\n'));
      for (const column of s.columns) expect(doc).toContain(`\`${column.name}\``);
    },
  );

  it.each(availableShapes(EVENT_TYPES).map((s) => [s.name, s]))(
    '%s: its example imports without a refusal',
    async (_name, s) => {
      // Prepare: the directory and cases the anchors refer to
      const stores = memoryStores();
      const deps = {
        ...stores,
        engine: makeCaseEngine(AUTHORITY),
        scheduler: noScheduler,
        clock: { now: () => new Date('2030-01-01T09:00:00Z') },
      };
      // Act
      const file = await openRows(Readable.from([`${s.example.join('\n')}\n`]), { shapes: [s] });
      const { tally } = await importRows(file.rows, deps, { shape: file.shape });
      // Assess
      expect(tally.refused).toBe(0);
      expect(tally.imported).toBe(s.example.length - 1);
    },
  );
});

describe('the rota’s tier', () => {
  it('a row with tier 2 is a shift of the senior manager on call; without one, of the EDT manager', () => {
    const rota = shape('rota');
    const [senior] = rota.toEvents({
      person_id: 'P-0008',
      from: '2030-03-08 17:00',
      to: '2030-03-11 09:00',
      tier: '2',
    });
    const [edt] = rota.toEvents({
      person_id: 'P-0005',
      from: '2030-03-08 17:00',
      to: '2030-03-11 09:00',
    });
    expect(senior?.data).toEqual({
      personId: 'P-0008',
      from: '2030-03-08T17:00:00+00:00',
      to: '2030-03-11T09:00:00+00:00',
      tier: 2,
    });
    expect(edt?.data).not.toHaveProperty('tier');
  });
});
