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
  line: number;
  caseIds: string[];
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
  /** More refusals or warnings than the report lists (the tally counts every one). */
  truncated?: { refused: number; warnings: number };
  snapshot?: {
    missing: string[];
    closed: string[];
    notClosed: { caseId: string; problem: Problem }[];
  };
}

/** Collects a run's refusals and warnings as rows finish (at most `limit` of each). */
export class ImportReport {
  readonly refused: Refusal[] = [];
  readonly warnings: RowWarning[] = [];
  private readonly dropped = { refused: 0, warnings: 0 };

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
      ...(outcome.status === 'unchanged' ? { asFirstAnswered: true as const } : {}),
    }));
    for (const w of warnings) {
      if (this.warnings.length < this.limit) this.warnings.push(w);
      else this.dropped.warnings++;
    }
    return warnings;
  }

  /** Carries the lists on from an earlier invocation of the same import (a resumed Lambda). */
  restore(saved: Pick<ReportJson, 'refused' | 'warnings' | 'truncated'>): void {
    this.refused.push(...saved.refused);
    this.warnings.push(...saved.warnings);
    this.dropped.refused += saved.truncated?.refused ?? 0;
    this.dropped.warnings += saved.truncated?.warnings ?? 0;
  }

  /** How many refusals and warnings were left out of the lists, when any were. */
  get truncated(): { refused: number; warnings: number } | undefined {
    return this.dropped.refused + this.dropped.warnings > 0 ? { ...this.dropped } : undefined;
  }

  toJson(
    run: { format: 'ndjson' | 'csv'; shape?: string | undefined; dryRun: boolean },
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

/** One line for a person: `file:14 C-1001 no-worker-in-role: …`. */
export function warningLine(w: RowWarning): string {
  const cases = w.caseIds.length === 0 ? '' : ` ${w.caseIds.join(',')}`;
  const field = w.field === undefined ? '' : ` (${w.field})`;
  const when = w.asFirstAnswered === true ? ' (as first imported)' : '';
  return `${w.file}:${w.line}${cases} ${w.code}${field}: ${w.detail}${when}`;
}
