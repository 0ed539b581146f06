/**
 * `timescales import` in-process (bin/import.ts) against DynamoDB Local: on a terminal the
 * progress bar is drawn in place on stderr and ends at 100 %; the report goes to stdout; the
 * exit code says whether a row was refused.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { importFile } from '#bin/import.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';

function sink(isTTY: boolean) {
  const chunks: string[] = [];
  return {
    isTTY,
    write: (chunk: string) => {
      chunks.push(chunk);
      return true;
    },
    text: () => chunks.join(''),
  };
}

describe('timescales import on a terminal', () => {
  it('redraws a progress bar on stderr and prints the report on stdout', async () => {
    // Prepare
    const endpoint = inject('dynamoEndpoint');
    const { tableName } = await freshTable(endpoint, 'import-tty');
    const file = join(mkdtempSync(join(tmpdir(), 'import-tty-')), 'supervisions.csv');
    writeFileSync(
      file,
      'case_id,kind,held_at\nC-7001,joint,2030-01-10\nC-7002,weekly,2030-01-10\n',
    );
    const stdout = sink(false);
    const stderr = sink(true);

    // Act
    const code = await importFile(file, {
      endpoint,
      table: tableName,
      env: { AUTHORITY_CONFIG: JSON.stringify(AUTHORITY) },
      stdout,
      stderr,
    });

    // Assess: refused row 3 → exit 1; the bar rewritten with \r, finished at 100 %
    expect(code).toBe(1);
    expect(stderr.text()).toMatch(
      /\rsupervisions\.csv \[#{24}\] 100% 2 rows, 1 imported, 0 unchanged, 1 refused \(\d+\/s\)\n$/,
    );
    expect(stdout.text()).toContain('supervisions.csv:3 (column kind): The request is not valid');
  });
});
