/**
 * Reading a file as rows: NDJSON or CSV told apart, lines numbered as an editor numbers them
 * however the chunks fall, a line too long to be an event refused without holding it in
 * memory, a resumed read starting at its line.
 */
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openRows, type SourceRow, UnusableFileError } from '#functions/import/records.js';
import { ALL_SHAPES } from '#functions/import/shapes.js';

async function read(chunks: (string | Buffer)[], fromLine?: number) {
  const file = await openRows(Readable.from(chunks), {
    shapes: ALL_SHAPES,
    ...(fromLine === undefined ? {} : { fromLine }),
  });
  const rows: SourceRow[] = [];
  for await (const row of file.rows) rows.push(row);
  return { file, rows };
}

const summary = (rows: SourceRow[]) =>
  rows.map((r) =>
    r.kind === 'unreadable'
      ? [r.line, r.error.name]
      : [r.line, r.kind === 'event' ? r.body : r.record],
  );

describe('NDJSON', () => {
  it('numbers lines across chunk boundaries, CRLF, a BOM and blank lines', async () => {
    const { file, rows } = await read(['\uFEFF{"a":1}\r\n\r\n{"b"', ':2}\n', '{"c":3}']);
    expect(file.format).toBe('ndjson');
    expect(summary(rows)).toEqual([
      [1, { a: 1 }],
      [3, { b: 2 }],
      [4, { c: 3 }],
    ]);
  });

  it('refuses a line over 64 KB (413, as the API) and goes on with the next', async () => {
    const long = `{"x":"${'y'.repeat(70_000)}"}`;
    // The long line arrives in pieces, as a stream delivers it.
    const { rows } = await read([
      '{"a":1}\n',
      long.slice(0, 30_000),
      long.slice(30_000),
      '\n{"b":2}\n',
    ]);
    expect(summary(rows)).toEqual([
      [1, { a: 1 }],
      [2, 'PayloadTooLargeError'],
      [3, { b: 2 }],
    ]);
  });

  it('refuses a line that is not JSON', async () => {
    const { rows } = await read(['{"a":1}\n{"a":\n']);
    expect(summary(rows)).toEqual([
      [1, { a: 1 }],
      [2, 'MalformedJsonError'],
    ]);
  });

  it('resumes at a line', async () => {
    const { rows } = await read(['{"a":1}\n{"a":2}\n{"a":3}\n'], 2);
    expect(summary(rows)).toEqual([
      [2, { a: 2 }],
      [3, { a: 3 }],
    ]);
  });
});

describe('CSV', () => {
  it('knows the shape by the header and numbers each record by its line', async () => {
    const { file, rows } = await read([
      'case_id,kind,held_at\r\nC-1,joint,2030-01-01\r\n\r\nC-2,',
      'joint,2030-01-02\r\n',
    ]);
    expect(file.format).toBe('csv');
    expect(file.shape?.name).toBe('supervisions');
    expect(summary(rows)).toEqual([
      [2, { case_id: 'C-1', kind: 'joint', held_at: '2030-01-01' }],
      [4, { case_id: 'C-2', kind: 'joint', held_at: '2030-01-02' }],
    ]);
  });

  it('resumes at a line', async () => {
    const { rows } = await read(
      ['case_id,kind,held_at\nC-1,joint,2030-01-01\nC-2,joint,2030-01-02\n'],
      3,
    );
    expect(summary(rows)).toEqual([[3, { case_id: 'C-2', kind: 'joint', held_at: '2030-01-02' }]]);
  });

  it('refuses a file as a whole when its header fits no shape, or it is empty', async () => {
    await expect(read(['colour,size\nred,large\n'])).rejects.toThrow(UnusableFileError);
    await expect(read(['  \n\n'])).rejects.toThrow(/empty/);
  });
});
