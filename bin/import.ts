/**
 * `npx timescales import <file> [--dry-run] [--json] [--snapshot [--close-missing]]
 * [--concurrency N] [--strict]`: a file of events (NDJSON) or rows (CSV, docs/import.md) into a
 * deployment's table with the operator's credentials, or into `npm start`'s with `--endpoint`,
 * through the webhook's own use case, cases side by side.
 *
 * Prints the tally (imported / unchanged / refused), each refused row with its line, column
 * and the API's problem wording, each warning of the 202 answers once per case, and for a dry
 * run what would change (due times in London time, with the engine's explanations). Columns
 * the shape does not use are listed once on stderr. A progress bar on a terminal (stderr), a
 * plain line every 10,000 rows otherwise. Exit code: 0 when nothing was refused, 1 otherwise
 * (2, a usage error or a file refused as a whole, is the CLI's).
 */
import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { importRows, type RowOutcome } from '#functions/import/import-file.js';
import { openRows, UnusableFileError } from '#functions/import/records.js';
import {
  count,
  ImportReport,
  type ReportJson,
  refusalLine,
  warningLine,
} from '#functions/import/report.js';
import { availableShapes } from '#functions/import/shapes.js';
import { importDeps } from '#functions/import/wiring.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { systemClock } from '#kernel/ports.js';
import { formatUkLong } from '#kernel/reminders/messages.js';
import { calendarFeed } from '#platform/dynamodb/calendar-feed.js';
import type { Preview } from '#platform/memory/overlay.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { OperatorError, schedulerFor, type TableOptions, target } from './operations.js';

export interface ImportOptions extends TableOptions {
  dryRun?: boolean;
  json?: boolean;
  snapshot?: boolean;
  closeMissing?: boolean;
  /** Rows of different cases imported at once. @default DEFAULT_CONCURRENCY */
  concurrency?: number | undefined;
  /** Refuse a CSV column the shape does not use. */
  strict?: boolean | undefined;
  /** Where output goes (tests pass their own). @default process.stdout / process.stderr */
  stdout?: Pick<NodeJS.WriteStream, 'write'>;
  stderr?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>;
  now?: () => Date;
}

/** Imports `file`; returns the exit code (0: nothing refused, 1: some rows refused). */
export async function importFile(file: string, options: ImportOptions = {}): Promise<number> {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  let size: number;
  try {
    size = statSync(file).size;
  } catch (error) {
    throw new OperatorError(`cannot read ${file}: ${(error as Error).message}`);
  }
  const t = target(options);
  const clock = options.now === undefined ? systemClock : { now: options.now };
  const run = importDeps({
    client: t.client,
    tableName: t.tableName,
    // The operator's bank-holiday feed, as the Lambdas compute with it.
    engine: makeCaseEngine(t.authority, undefined, {
      feed: await calendarFeed(t.client, t.tableName),
    }),
    // A dry run records timers and sets none: it needs no scheduler configuration.
    scheduler:
      options.dryRun === true
        ? { schedule: async () => {}, cancel: async () => {} }
        : schedulerFor(t, options),
    clock,
    dryRun: options.dryRun === true,
  });

  let rows: Awaited<ReturnType<typeof openRows>>;
  try {
    rows = await openRows(createReadStream(file), {
      shapes: availableShapes(EVENT_TYPES),
      strict: options.strict === true,
    });
  } catch (error) {
    if (error instanceof UnusableFileError) throw new OperatorError(`${file}: ${error.message}`);
    throw error;
  }
  const name = basename(file);
  if (rows.ignored.length > 0) {
    stderr.write(
      `timescales: ${name}: ${count(rows.ignored.length, 'column')} ignored (the ${rows.shape?.name} shape does not use ${rows.ignored.length === 1 ? 'it' : 'them'}): ${rows.ignored.map((c) => `\`${c}\``).join(', ')}\n`,
    );
  }
  const report = new ImportReport(name);
  const progress = new Progress(stderr, name, size, rows.bytesRead);
  const result = await importRows(rows.rows, run.deps, {
    shape: rows.shape,
    snapshot: options.snapshot === true,
    // In a dry run the closes go to the overlay too: the preview shows them, nothing is written.
    closeMissing: options.closeMissing === true,
    concurrency: options.concurrency,
    onRow: (outcome) => {
      report.add(outcome);
      progress.row(outcome);
    },
  });
  progress.done();
  const json = report.toJson(
    {
      format: rows.format,
      shape: rows.shape?.name,
      dryRun: options.dryRun === true,
      ignoredColumns: rows.ignored,
    },
    result,
  );
  const preview = await run.preview?.(clock.now());
  if (options.json === true) {
    stdout.write(
      `${JSON.stringify(preview === undefined ? json : { ...json, preview }, null, 2)}\n`,
    );
  } else {
    stdout.write(text(json, preview, options.closeMissing === true));
  }
  return result.tally.refused === 0 ? 0 : 1;
}

/** The report for a person. */
function text(report: ReportJson, preview: Preview | undefined, closeMissing: boolean): string {
  const { tally } = report;
  const out: string[] = [];
  const shape = report.shape === undefined ? 'NDJSON events' : `CSV ${report.shape}`;
  const verb = report.dryRun ? 'would be ' : '';
  out.push(
    `${report.file} (${shape}): ${count(tally.rows, 'row')} — ${tally.imported} ${verb}imported, ${tally.unchanged} unchanged, ${tally.refused} refused${report.dryRun ? ' (dry run: nothing written)' : ''}`,
  );
  if (report.refused.length > 0) {
    out.push('', 'Refused:');
    for (const r of report.refused) out.push(`  ${refusalLine(r)}`);
  }
  if (report.warnings.length > 0) {
    out.push('', 'Warnings:');
    for (const w of report.warnings) out.push(`  ${warningLine(w)}`);
  }
  if (report.truncated !== undefined) {
    out.push(
      `  (and ${report.truncated.refused} more refused, ${count(report.truncated.warnings, 'more warning')}: --json lists the same first ones)`,
    );
  }
  if (preview !== undefined) out.push(...previewLines(preview));
  const snapshot = report.snapshot;
  if (snapshot !== undefined) {
    out.push(
      '',
      `Snapshot: ${count(snapshot.missing.length, 'open case')} not in the file${snapshot.missing.length === 0 ? '' : `: ${snapshot.missing.join(', ')}`}`,
    );
    if (snapshot.closed.length > 0)
      out.push(`  ${report.dryRun ? 'would be closed' : 'closed'}: ${snapshot.closed.join(', ')}`);
    for (const n of snapshot.notClosed) out.push(`  not closed: ${n.caseId}: ${n.problem.detail}`);
    if (!closeMissing && snapshot.missing.length > 0)
      out.push(
        `  (--close-missing closes ${snapshot.missing.length === 1 ? 'it: it stays' : 'them; they stay'} open)`,
      );
  }
  return `${out.join('\n')}\n`;
}

/**
 * What a dry run would change: each case with its open clocks, due in London time with the
 * zone and explained as the engine explains it, then the reminders of the coming days.
 */
function previewLines(preview: Preview): string[] {
  const out: string[] = [];
  const created = preview.cases.filter((c) => c.change === 'created').length;
  out.push('', `Cases: ${created} would be created, ${preview.cases.length - created} updated`);
  for (const c of preview.cases) {
    out.push(`  ${c.caseId} (${c.change})${c.clocks.length === 0 ? ': no open clocks' : ''}`);
    for (const d of c.clocks) {
      out.push(`    ${d.deadlineId}: ${d.status}, due ${formatUkLong(new Date(d.dueAt))}`);
      for (const line of d.explain) out.push(`      ${line}`);
    }
  }
  out.push(
    '',
    `Reminders that would fire in the next ${count(preview.horizonDays, 'day')}: ${preview.reminders.length}`,
  );
  for (const r of preview.reminders) {
    out.push(
      `  ${formatUkLong(new Date(r.fireAt))}: ${r.caseId} ${r.deadlineId}${r.step === undefined ? '' : ` ${r.step}`}`,
    );
  }
  return out;
}

/** A bar rewritten in place on a terminal; a plain line every 10,000 rows otherwise. */
class Progress {
  private rows = 0;
  private readonly counts = { imported: 0, unchanged: 0, refused: 0 };
  private lastDraw = 0;
  private readonly started = Date.now();

  constructor(
    private readonly out: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>,
    private readonly name: string,
    private readonly size: number,
    private readonly bytesRead: () => number,
  ) {}

  row(outcome: RowOutcome): void {
    this.rows++;
    this.counts[outcome.status]++;
    if (this.out.isTTY === true) {
      const now = Date.now();
      if (now - this.lastDraw >= 100) {
        this.lastDraw = now;
        this.out.write(`\r${this.bar()}`);
      }
    } else if (this.rows % 10_000 === 0) {
      this.out.write(`timescales: ${this.name}: ${this.status()}\n`);
    }
  }

  done(): void {
    if (this.out.isTTY === true) this.out.write(`\r${this.bar()}\n`);
  }

  private status(): string {
    const { imported, unchanged, refused } = this.counts;
    return `${this.rows} rows, ${imported} imported, ${unchanged} unchanged, ${refused} refused`;
  }

  private bar(): string {
    const share = this.size === 0 ? 1 : Math.min(1, this.bytesRead() / this.size);
    const width = 24;
    const filled = Math.round(share * width);
    const perSecond = Math.round((this.rows * 1000) / Math.max(1, Date.now() - this.started));
    return `${this.name} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.floor(
      share * 100,
    )
      .toString()
      .padStart(3)}% ${this.status()} (${perSecond}/s)`;
  }
}
