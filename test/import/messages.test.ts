/**
 * What the import says: a date that does not exist explained as the calendar command explains
 * it, a warning listed once per case with the rows it covers counted, and the error for a
 * missing target naming every way to give one.
 */
import { describe, expect, it } from 'vitest';
import { OperatorError, target } from '#bin/operations.js';
import { dateProblem, explainDates } from '#functions/import/dates.js';
import type { RowOutcome } from '#functions/import/import-file.js';
import { count, ImportReport, warningLine } from '#functions/import/report.js';
import { ValidationError } from '#kernel/errors.js';

describe('a date that does not exist', () => {
  it('is explained as the calendar explains it, in either way of writing dates', () => {
    // 2026 is not a leap year; 2028 is
    expect(dateProblem('2026-02-30')).toBe('Invalid date "2026-02-30": February 2026 has 28 days');
    expect(dateProblem('30/02/2026')).toBe('Invalid date "30/02/2026": February 2026 has 28 days');
    expect(dateProblem('2026-04-31T10:00:00Z')).toBe(
      'Invalid date "2026-04-31T10:00:00Z": April 2026 has 30 days',
    );
    expect(dateProblem('2030-01-10T25:00')).toBe(
      'Invalid date "2030-01-10T25:00": there is no hour 25',
    );
    expect(dateProblem('2028-02-29')).toBeUndefined();
    expect(dateProblem('next Tuesday')).toBeUndefined();
  });

  it('replaces the schema’s wording for the field that holds it, and only that field', () => {
    const refused = new ValidationError('The request is not valid', {
      errors: [
        { field: 'occurredAt', message: 'Invalid ISO datetime' },
        { field: 'data.team', message: 'Required' },
      ],
    });
    const body = { occurredAt: '2026-02-30T09:00:00Z', data: {} };

    const explained = explainDates(refused, body) as ValidationError;

    expect(explained.errors).toEqual([
      {
        field: 'occurredAt',
        message: 'Invalid date "2026-02-30T09:00:00Z": February 2026 has 28 days',
      },
      { field: 'data.team', message: 'Required' },
    ]);
  });
});

describe('the warnings of an import', () => {
  const noManager = {
    code: 'no-worker-in-role' as const,
    field: 'data.workers',
    detail: 'No worker holds the team-manager role: send case.updated with one',
  };
  const row = (line: number, caseId: string, field = 'data.workers'): RowOutcome => ({
    line,
    status: 'imported',
    eventIds: [`E-${line}`],
    caseIds: [caseId],
    warnings: [{ ...noManager, field }],
  });

  it('lists a warning once per case, counting the rows that gave it', () => {
    const report = new ImportReport('referrals.csv');

    // Three referral rows of C-1001 (the field moving from row to row), one of C-1002
    report.add(row(2, 'C-1001'));
    report.add(row(3, 'C-1002'));
    report.add(row(4, 'C-1001', 'data.workers.1'));
    report.add(row(7, 'C-1001'));

    expect(report.warnings.map((w) => [w.caseIds, w.line, w.rows])).toEqual([
      [['C-1001'], 2, 3],
      [['C-1002'], 3, 1],
    ]);
    expect(report.warnings.map(warningLine)).toEqual([
      `referrals.csv:2 C-1001 no-worker-in-role (data.workers): ${noManager.detail} (3 rows from line 2)`,
      `referrals.csv:3 C-1002 no-worker-in-role (data.workers): ${noManager.detail}`,
    ]);
  });

  it('counts with the unit singular or plural as the number needs', () => {
    expect([0, 1, 2, 12_345].map((n) => count(n, 'row'))).toEqual([
      '0 rows',
      '1 row',
      '2 rows',
      '12,345 rows',
    ]);
  });
});

describe('an import with no target named', () => {
  it('names --table, TABLE_NAME and --endpoint for npm start’s DynamoDB Local', () => {
    const missing = () => target({ env: {} });

    expect(missing).toThrow(OperatorError);
    expect(missing).toThrow(
      "name the target: --table <name> or TABLE_NAME (or --lambda-env <file>) for a deployment's table, or --endpoint <url> for npm start's DynamoDB Local (npm start prints its address)",
    );
  });
});
