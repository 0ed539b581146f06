/**
 * An import's report, shared by the CLI (`bin/import.ts`) and the drop bucket's Lambda
 * (`functions/import/handler.ts`): each refused row with its file, line, column and the
 * problem the API would have answered (RFC 9457, the same wording), each warning of the 202
 * answers with its line, the tally and, for a snapshot, the cases the file lacks.
 */
import { toProblem } from '#platform/http.js';
import type { Problem } from '#schemas/problem.js';
import type { EventWarning } from '#schemas/responses.js';
import type { ImportResult, ImportTally, RowOutcome } from './import-file.js';

export interface Refusal {
  file: string;
  line: number;
  column?: string;
  eventId?: string;
  problem: Problem;
}

export interface RowWarning extends EventWarning {
  file: string;
  /** The first row it was given for. */
  line: number;
  caseIds: string[];
  /** How many rows of the import it was given for (it is listed once per case and import). */
  rows: number;
  /**
   * The row was already imported: a replay gets the answer its first import got, so the
   * warning is as of then (the person it names may have been added since).
   */
  asFirstAnswered?: true;
}

export interface ReportJson {
  file: string;
  format: 'ndjson' | 'csv';
  shape?: string;
  dryRun: boolean;
  tally: ImportTally;
  refused: Refusal[];
  warnings: RowWarning[];
  /** CSV columns the shape does not use, ignored (absent when there were none). */
  ignoredColumns?: string[];
  /** More refusals or warnings than the report lists (the tally counts every one). */
  truncated?: { refused: number; warnings: number };
  snapshot?: {
    missing: string[];
    closed: string[];
    notClosed: { caseId: string; problem: Problem }[];
  };
}

/** Distinct warnings left out of a full list that are told apart (then each counts). */
const MAX_DROPPED_KEYS = 100_000;

/**
 * Collects a run's refusals and warnings as rows finish (at most `limit` of each). A warning
 * the same case got from an earlier row (every referral row of a case repeats its supervision
 * warnings) is counted on the first one, not listed again.
 */
export class ImportReport {
  readonly refused: Refusal[] = [];
  readonly warnings: RowWarning[] = [];
  private readonly dropped = { refused: 0, warnings: 0 };
  private readonly listed = new Map<string, RowWarning>();
  private readonly droppedKeys = new Set<string>();

  constructor(
    readonly file: string,
    private readonly limit = 1000,
  ) {}

  /** Adds a row's refusal or warnings; returns the refusal, if it was one. */
  add(outcome: RowOutcome): Refusal | RowWarning[] {
    if (outcome.status === 'refused') {
      const refusal: Refusal = {
        file: this.file,
        line: outcome.line,
        ...(outcome.column === undefined ? {} : { column: outcome.column }),
        ...(outcome.eventId === undefined ? {} : { eventId: outcome.eventId }),
        problem: toProblem(outcome.error),
      };
      if (this.refused.length < this.limit) this.refused.push(refusal);
      else this.dropped.refused++;
      return refusal;
    }
    const warnings: RowWarning[] = outcome.warnings.map((w) => ({
      file: this.file,
      line: outcome.line,
      caseIds: outcome.caseIds,
      ...w,
      rows: 1,
      ...(outcome.status === 'unchanged' ? { asFirstAnswered: true as const } : {}),
    }));
    // A row may give one warning twice (two workers' fields): one row each.
    const seen = new Set<string>();
    const added: RowWarning[] = [];
    for (const w of warnings) {
      const key = warningKey(w);
      if (seen.has(key)) continue;
      seen.add(key);
      const earlier = this.listed.get(key);
      if (earlier !== undefined) {
        earlier.rows++;
        continue;
      }
      if (this.warnings.length < this.limit) {
        this.warnings.push(w);
        this.listed.set(key, w);
        added.push(w);
      } else if (!this.droppedKeys.has(key)) {
        this.dropped.warnings++;
        if (this.droppedKeys.size < MAX_DROPPED_KEYS) this.droppedKeys.add(key);
      }
    }
    return added;
  }

  /** Carries the lists on from an earlier invocation of the same import (a resumed Lambda). */
  restore(saved: Pick<ReportJson, 'refused' | 'warnings' | 'truncated'>): void {
    this.refused.push(...saved.refused);
    for (const w of saved.warnings) {
      const warning = { ...w, rows: w.rows ?? 1 };
      this.warnings.push(warning);
      this.listed.set(warningKey(warning), warning);
    }
    this.dropped.refused += saved.truncated?.refused ?? 0;
    this.dropped.warnings += saved.truncated?.warnings ?? 0;
  }

  /** How many refusals and warnings were left out of the lists, when any were. */
  get truncated(): { refused: number; warnings: number } | undefined {
    return this.dropped.refused + this.dropped.warnings > 0 ? { ...this.dropped } : undefined;
  }

  toJson(
    run: {
      format: 'ndjson' | 'csv';
      shape?: string | undefined;
      dryRun: boolean;
      ignoredColumns?: readonly string[];
    },
    result: Pick<ImportResult, 'tally' | 'snapshot'>,
  ): ReportJson {
    const truncated = this.truncated;
    return {
      file: this.file,
      format: run.format,
      ...(run.shape === undefined ? {} : { shape: run.shape }),
      dryRun: run.dryRun,
      tally: result.tally,
      refused: this.refused,
      warnings: this.warnings,
      ...(run.ignoredColumns === undefined || run.ignoredColumns.length === 0
        ? {}
        : { ignoredColumns: [...run.ignoredColumns] }),
      ...(truncated === undefined ? {} : { truncated }),
      ...(result.snapshot === undefined
        ? {}
        : {
            snapshot: {
              missing: result.snapshot.missing,
              closed: result.snapshot.closed,
              notClosed: result.snapshot.notClosed.map(({ caseId, error }) => ({
                caseId,
                problem: toProblem(error),
              })),
            },
          }),
    };
  }
}

/** One line for a person: `file:12 (column team): The request is not valid — …; data.team: …`. */
export function refusalLine(r: Refusal): string {
  const where = `${r.file}:${r.line}${r.column === undefined ? '' : ` (column ${r.column})`}`;
  const details = [
    r.problem.detail,
    ...(r.problem.errors ?? []).map((e) =>
      e.field === '' ? e.message : `${e.field}: ${e.message}`,
    ),
  ].filter((part) => part !== undefined && part !== '');
  return `${where}: ${r.problem.title} — ${details.join('; ')}`;
}

/** One line for a person: `file:14 C-1001 no-worker-in-role: … (3 rows from line 14)`. */
export function warningLine(w: RowWarning): string {
  const cases = w.caseIds.length === 0 ? '' : ` ${w.caseIds.join(',')}`;
  const field = w.field === undefined ? '' : ` (${w.field})`;
  const when = w.asFirstAnswered === true ? ' (as first imported)' : '';
  const rows = (w.rows ?? 1) > 1 ? ` (${count(w.rows, 'row')} from line ${w.line})` : '';
  return `${w.file}:${w.line}${cases} ${w.code}${field}: ${w.detail}${when}${rows}`;
}

/**
 * What tells one warning from another: its case, code, detail (which names the person or role)
 * and whether it was given now or at the first import — not the field, which moves from row to
 * row (`data.workers.0` on one, `data.workers.1` on the next).
 */
function warningKey(w: RowWarning): string {
  return JSON.stringify([[...w.caseIds].sort(), w.code, w.detail, w.asFirstAnswered === true]);
}

/** `1 row`, `2 rows`: a count with its unit (the import's units all add an s). */
export function count(n: number, unit: string): string {
  return `${n.toLocaleString('en-GB')} ${unit}${n === 1 ? '' : 's'}`;
}
