/** Small helpers every bench shares: medians, a plain-text table, the summary and the exit. */

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Formats a number with thousands separators and `digits` decimals. */
export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-GB', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/** A left/right-aligned text table (first column left, the rest right). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The closing summary every bench prints, and a line when a target was missed. */
export function printSummary(header: string[], rows: string[][], missed: boolean): void {
  console.log('\nSummary\n');
  console.log(table(header, rows));
  if (missed) console.log('\nA target was missed (see above).');
}

/**
 * Runs `op` with `inFlight` calls in flight for `seconds`; completed calls per second — how a
 * bench measures what a store alone sustains, the baseline its figures are ratios against.
 */
export async function closedLoop(
  inFlight: number,
  seconds: number,
  op: (n: number) => Promise<unknown>,
): Promise<number> {
  let n = 0;
  let done = 0;
  const until = Date.now() + seconds * 1000;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (Date.now() < until) {
        await op(n++);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

/** Runs a bench's `main`: exit 0 when it ends (figures are reported, not asserted), 1 on a crash. */
export function runBench(main: () => Promise<void>): void {
  main()
    .then(() => process.exit(0))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
