/**
 * A file of events or rows, streamed: NDJSON (one `POST /v1/events` body a line) or CSV in one
 * of the shapes of `functions/import/shapes.ts` (its header says which; parsed by
 * csv-parse). Memory stays bounded whatever the file's size: one chunk and one line or record
 * at a time. Every line is numbered as an editor numbers it (the first is 1), and a line that
 * cannot be read (not JSON, a CSV record with the wrong number of fields, an unclosed quote)
 * is yielded as unreadable rather than stopping the file.
 */
import { Readable } from 'node:stream';
import { parse } from 'csv-parse';
import { ValidationError } from '#kernel/errors.js';
import { MAX_BODY_BYTES, parseJson } from '#platform/body.js';
import { MalformedJsonError, PayloadTooLargeError } from '#platform/errors.js';
import { checkColumns, suggestions } from './columns.js';
import type { CsvShape } from './csv-shape.js';
import type { ImportRow } from './import-file.js';
import { shapeForHeader, UnknownHeaderError } from './shapes.js';

/**
 * An NDJSON line parsed (the event body as the API would receive it), a CSV record keyed by
 * its header's column names, or a line that could not be read (the error says why, as the
 * API would).
 */
export type SourceRow = ImportRow;

export interface FileRows {
  format: 'ndjson' | 'csv';
  /** The CSV shape (undefined for NDJSON). */
  shape?: CsvShape;
  /** Rows in file order, from `fromLine` on; `bytesRead()` grows as the file is read. */
  rows: AsyncIterable<SourceRow>;
  bytesRead(): number;
  /** CSV columns the shape does not use (listed once, as ignored). */
  ignored: string[];
}

export interface ReadOptions {
  /** The CSV shapes to recognise. */
  shapes: readonly CsvShape[];
  /** Skip the lines before this one (resuming an import). @default 1 */
  fromLine?: number;
  /** Refuse a CSV column the shape does not use (else it is ignored, unless misspelt). */
  strict?: boolean;
}

/** A CSV header that fits no shape, or an empty file: the file as a whole is unusable. */
export class UnusableFileError extends Error {
  override readonly name = 'UnusableFileError';
}

/**
 * Opens a file's rows: NDJSON when its first non-blank character is `{`, else CSV (whose
 * header is read here, so an unknown shape is refused before any row is).
 */
export async function openRows(
  source: AsyncIterable<Buffer | string>,
  options: ReadOptions,
): Promise<FileRows> {
  const chunks = source[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let first: string | undefined;
  // Enough of the file to see its first character (a BOM and blank lines may come first).
  while (first === undefined) {
    const next = await chunks.next();
    if (next.done === true) break;
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    head.push(chunk);
    first = /[^\s\uFEFF]/u.exec(Buffer.concat(head).toString('utf8'))?.[0];
  }
  if (first === undefined) throw new UnusableFileError('the file is empty');
  const rest = async function* () {
    yield* head;
    for (let next = await chunks.next(); next.done !== true; next = await chunks.next()) {
      yield typeof next.value === 'string' ? Buffer.from(next.value) : next.value;
    }
  };
  const counter = { bytes: 0 };
  const counted = async function* () {
    for await (const chunk of rest()) {
      counter.bytes += chunk.length;
      yield chunk;
    }
  };
  const fromLine = options.fromLine ?? 1;
  if (first === '{') {
    return {
      format: 'ndjson',
      rows: ndjsonRows(counted(), fromLine),
      bytesRead: () => counter.bytes,
      ignored: [],
    };
  }
  return csvRows(counted(), options, fromLine, () => counter.bytes);
}

async function* ndjsonRows(source: AsyncIterable<Buffer>, fromLine: number) {
  let line = 0;
  for await (const bytes of lines(source)) {
    line++;
    if (line < fromLine) continue;
    if (bytes === TOO_LONG) {
      yield unreadable(
        line,
        new PayloadTooLargeError(`the line is longer than ${MAX_BODY_BYTES} bytes`, {
          errors: [{ field: '', message: `at most ${MAX_BODY_BYTES} bytes` }],
        }),
      );
      continue;
    }
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    if (text.trim() === '') continue;
    try {
      yield { kind: 'event' as const, line, body: parseJson(Buffer.from(text)) };
    } catch (error) {
      yield unreadable(
        line,
        error instanceof Error ? error : new MalformedJsonError('the line is not JSON'),
      );
    }
  }
}

const TOO_LONG = Buffer.alloc(0);

/** The file's lines as bytes (without `\n` or `\r\n`); a line over the body limit as TOO_LONG. */
async function* lines(source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let discarding = false;
  const take = (end: Buffer): Buffer => {
    const line = Buffer.concat([...pending, end]);
    pending = [];
    pendingBytes = 0;
    return line.at(-1) === 0x0d ? line.subarray(0, -1) : line;
  };
  for await (const chunk of source) {
    let start = 0;
    for (let nl = chunk.indexOf(0x0a); nl >= 0; nl = chunk.indexOf(0x0a, start)) {
      const end = chunk.subarray(start, nl);
      start = nl + 1;
      if (discarding || pendingBytes + end.length > MAX_BODY_BYTES + 1) {
        pending = [];
        pendingBytes = 0;
        discarding = false;
        yield TOO_LONG;
        continue;
      }
      yield take(end);
    }
    const tail = chunk.subarray(start);
    if (discarding) continue;
    pendingBytes += tail.length;
    if (pendingBytes > MAX_BODY_BYTES + 1) {
      // Bounded memory: a line too long to be an event is dropped as it streams by.
      pending = [];
      pendingBytes = 0;
      discarding = true;
      continue;
    }
    pending.push(Buffer.from(tail));
  }
  if (discarding) yield TOO_LONG;
  else if (pendingBytes > 0) yield take(Buffer.alloc(0));
}

/** The longest CSV record read (bounded memory); a longer one is an unreadable row. */
const MAX_RECORD_BYTES = MAX_BODY_BYTES;

async function csvRows(
  source: AsyncIterable<Buffer>,
  { shapes, strict }: ReadOptions,
  fromLine: number,
  bytesRead: () => number,
): Promise<FileRows> {
  const skipped: SourceRow[] = [];
  let shape: CsvShape | undefined;
  let ignored: string[] = [];
  const parser = Readable.from(source).pipe(
    parse({
      bom: true,
      info: true,
      skip_empty_lines: true,
      max_record_size: MAX_RECORD_BYTES,
      // Bad records are reported and skipped: a bad row never stops the good ones.
      skip_records_with_error: true,
      on_skip: (error) => {
        if (error === undefined) return undefined;
        const line = Number(error.lines);
        skipped.push(
          unreadable(
            line,
            new ValidationError('the line is not a CSV record of the header', {
              errors: [{ field: '', message: error.message }],
            }),
          ),
        );
        return undefined;
      },
      // The header is checked before any row is read: a misspelt column refuses the file.
      columns: (header: string[]) => {
        try {
          shape = shapeForHeader(header, shapes);
        } catch (error) {
          const hints = error instanceof UnknownHeaderError ? suggestions(header, shapes) : [];
          if (hints.length === 0) throw error;
          throw new UnknownHeaderError(`${hints.join('; ')}; ${(error as Error).message}`);
        }
        ignored = checkColumns(header, shape, strict).ignored;
        return header.map((h) => h.trim());
      },
    }),
  );
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<{
    record: Record<string, string>;
    info: { lines: number };
  }>;
  // The first record makes the parser read the header: an unknown shape fails here, whole.
  let first: IteratorResult<{ record: Record<string, string>; info: { lines: number } }>;
  try {
    first = await records.next();
  } catch (error) {
    if ((error as Error).name === 'UnknownHeaderError')
      throw new UnusableFileError((error as Error).message);
    throw error;
  }
  if (shape === undefined) throw new UnusableFileError('the file has no CSV header');
  async function* rows(): AsyncGenerator<SourceRow> {
    // The parser reports a skipped record as soon as it reads it, ahead of the records it has
    // buffered: each is yielded in line order among them.
    const before = (line: number) => {
      skipped.sort((a, b) => a.line - b.line);
      const earlier = skipped.filter((s) => s.line < line);
      skipped.splice(0, earlier.length);
      return earlier.filter((s) => s.line >= fromLine);
    };
    for (let next = first; next.done !== true; next = await records.next()) {
      const { record, info } = next.value;
      yield* before(info.lines);
      if (info.lines < fromLine) continue;
      yield { kind: 'row', line: info.lines, record };
    }
    yield* before(Number.POSITIVE_INFINITY);
  }
  return { format: 'csv', shape, rows: rows(), bytesRead, ignored };
}

function unreadable(line: number, error: Error): SourceRow {
  return { kind: 'unreadable', line, error };
}
