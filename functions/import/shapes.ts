/**
 * The CSV shapes `timescales import` and the drop bucket accept, as data: each shape's columns
 * (SSD's table and column names where the Standard Safeguarding Dataset has one), and how a
 * row becomes webhook event envelopes — exactly the `POST /v1/events` bodies, so the same
 * ingest use case validates and applies them. The shapes themselves are in `case-shapes.ts`
 * and `people-shapes.ts`, a cell's reading in `csv-shape.ts`. Pure: no parsing of files here
 * (the adapter `functions/import/records.ts` turns a file into rows).
 *
 * A refused field is reported as the column it came from (`columnOf`).
 */
import { canonicalJson, fnv1a64 } from '#kernel/ids.js';
import {
  CASES,
  CIN_EPISODES,
  CLA_PLACEMENTS,
  CLA_VISITS,
  CP_PLANS,
  CP_VISITS,
  SUPERVISIONS,
} from './case-shapes.js';
import type { Column, CsvShape, EventDraft } from './csv-shape.js';
import { AWAY, PROFESSIONALS, ROTA } from './people-shapes.js';

const SHAPES: CsvShape[] = [
  CASES,
  PROFESSIONALS,
  AWAY,
  ROTA,
  SUPERVISIONS,
  CIN_EPISODES,
  CP_PLANS,
  CP_VISITS,
  CLA_PLACEMENTS,
  CLA_VISITS,
];

/** Every shape this code knows, whether or not the deployment's schema has its events. */
export const ALL_SHAPES: readonly CsvShape[] = SHAPES;

/** The shapes whose event types `knownTypes` holds (the others need rules not in this build). */
export function availableShapes(knownTypes: ReadonlySet<string>): CsvShape[] {
  return SHAPES.filter((s) => s.eventTypes.every((t) => knownTypes.has(t)));
}

/** Why a header matches no shape, or more than one. */
export class UnknownHeaderError extends Error {
  override readonly name = 'UnknownHeaderError';
}

/**
 * The shape of a file from its header: the one whose required columns the header all has
 * (the most specific when several do, e.g. `away` over `rota`). Extra columns are ignored.
 */
export function shapeForHeader(header: readonly string[], shapes: readonly CsvShape[]): CsvShape {
  const names = new Set(header.map((h) => h.trim()));
  const fits = shapes
    .filter((s) => s.columns.every((c) => !c.required || names.has(c.name)))
    .sort((a, b) => required(b) - required(a));
  const [best, next] = fits;
  if (best === undefined) {
    const wanted = shapes
      .map(
        (s) =>
          `${s.name} (${s.columns
            .filter((c) => c.required)
            .map((c) => c.name)
            .join(', ')})`,
      )
      .join('; ');
    throw new UnknownHeaderError(
      `the header (${[...names].join(', ')}) matches no CSV shape; each needs its required columns: ${wanted}`,
    );
  }
  if (next !== undefined && required(next) === required(best)) {
    throw new UnknownHeaderError(`the header fits both ${best.name} and ${next.name}`);
  }
  return best;
}

const required = (s: CsvShape) => s.columns.filter((c) => c.required).length;

/**
 * The column an event field came from (`data.workers.0.role` → `workers`), for reporting a
 * refused row; undefined when no column fills it.
 */
export function columnOf(shape: CsvShape, field: string): string | undefined {
  let best: Column | undefined;
  for (const c of shape.columns) {
    if (c.field === undefined) continue;
    if (field === c.field || field.startsWith(`${c.field}.`)) {
      if (best?.field === undefined || c.field.length > best.field.length) best = c;
    }
  }
  return best?.name;
}

/**
 * The event id of a draft: the shape's name and a hash of the draft's canonical JSON, so the
 * same row gives the same id in every import (a re-import is all "unchanged") and a changed
 * row a new one (applied as a new event).
 */
export function draftId(shape: string, draft: EventDraft): string {
  return `${shape.replace(/^ssd_/, '')}-${fnv1a64(canonicalJson(draft))}`;
}
