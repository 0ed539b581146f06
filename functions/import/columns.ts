/**
 * A CSV header's columns against its shape: a column the shape does not know is either a
 * misspelling of one it does (`risk_levle`: refused, before anything is written — a dropped
 * column silently changes clocks) or one of the many an extract carries that the import does
 * not use (listed once as ignored; refused too with `--strict`). Pure.
 *
 * "Near" is the edit distance with transposed neighbours counting once (optimal string
 * alignment), letter case aside: at most 2, 1 for a name of four or five letters, and 0 for a
 * shorter one (`to` is not a misspelling of `id`).
 */
import type { CsvShape } from './csv-shape.js';
import { UnknownHeaderError } from './shapes.js';

export interface HeaderColumns {
  /** Columns the shape does not use, in header order. */
  ignored: string[];
}

/** Throws `UnknownHeaderError` for a misspelt column, or with `strict` any unknown one. */
export function checkColumns(
  header: readonly string[],
  shape: CsvShape,
  strict = false,
): HeaderColumns {
  const known = shape.columns.map((c) => c.name);
  const unknown = [...new Set(header.map((h) => h.trim()))].filter(
    (h) => h !== '' && !known.includes(h),
  );
  const misspelt = unknown.flatMap((name) => {
    const meant = nearest(name, known);
    return meant === undefined ? [] : [didYouMean(name, meant)];
  });
  if (misspelt.length > 0) throw new UnknownHeaderError(misspelt.join('; '));
  if (strict && unknown.length > 0) {
    throw new UnknownHeaderError(
      `${unknown.length === 1 ? 'column' : 'columns'} ${unknown.map(quoted).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not known to the ${shape.name} shape (--strict refuses ${unknown.length === 1 ? 'it' : 'them'}); its columns are ${known.map(quoted).join(', ')}`,
    );
  }
  return { ignored: unknown };
}

/** For a header no shape fits: its columns that are near some shape's, as "did you mean". */
export function suggestions(header: readonly string[], shapes: readonly CsvShape[]): string[] {
  const known = [...new Set(shapes.flatMap((s) => s.columns.map((c) => c.name)))];
  return [...new Set(header.map((h) => h.trim()))].flatMap((name) => {
    if (name === '' || known.includes(name)) return [];
    const meant = nearest(name, known);
    return meant === undefined ? [] : [didYouMean(name, meant)];
  });
}

const quoted = (name: string) => `\`${name}\``;

const didYouMean = (name: string, meant: string) =>
  `column ${quoted(name)} is not known — did you mean ${quoted(meant)}?`;

/** The known name `name` is nearest to, when near enough to be a misspelling of it. */
export function nearest(name: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const allowed = candidate.length <= 3 ? 0 : candidate.length <= 5 ? 1 : 2;
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance > allowed) continue;
    if (best === undefined || distance < best.distance) best = { name: candidate, distance };
  }
  return best?.name;
}

/** Optimal string alignment distance: insertions, deletions, substitutions, adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = d;
    }
  }
  return at(a.length, b.length);
}
