/**
 * One object of the drop bucket, imported: streamed from S3 (bounded memory), resumed from its
 * checkpoint, stopped with time to spare and handed on to a fresh invocation, and finished by
 * writing `<key>.report.json` beside it (the same report the CLI's `--json` prints).
 *
 * 1. `<key>.report.json` objects are the importer's own output: ignored.
 * 2. The checkpoint of this object version says where to start (line 1 the first time) and
 *    whether it is done (a redelivered notification then does nothing).
 * 3. Rows are imported through `importRows` (the webhook's use case, cases side by side); their
 *    outcomes come back in file order, so the checkpoint saved every `checkpointEvery` rows
 *    means every line before its `nextLine` is done (the lines after it that were done too are
 *    replayed on resuming: recorded, so unchanged, never applied twice), and a crash loses
 *    little. When the invocation has less than `marginMs` left, the rows under way finish, the
 *    checkpoint is saved and `continueLater` re-invokes the function.
 * 4. At the end the report is written and the checkpoint marked done.
 */
import type { GetObjectCommandOutput, S3Client } from '@aws-sdk/client-s3';
import type { Clock, Log, Metrics } from '#kernel/ports.js';
import { EVENT_TYPES } from '#schemas/events.js';
import { type ImportDeps, importRows } from './import-file.js';
import type { ImportCheckpoint, ImportObject, ImportProgressStore } from './ports.js';
import { openRows, UnusableFileError } from './records.js';
import { ImportReport, type ReportJson } from './report.js';
import { availableShapes } from './shapes.js';

export const REPORT_SUFFIX = '.report.json';

export interface ObjectRunDeps {
  s3: S3Client;
  ingest: ImportDeps;
  progress: ImportProgressStore;
  clock: Clock;
  log: Log;
  /** Counts refused rows and unusable files (each raises an alarm in AWS). */
  metrics?: Metrics;
  /** Re-invokes the function with the same object (asynchronously). */
  continueLater: (object: ImportObject) => Promise<void>;
  /** Save the checkpoint every this many rows. @default 500 */
  checkpointEvery?: number;
  /** Stop when less than this is left of the invocation. @default 60 s */
  marginMs?: number;
  /** At most this many refusals and warnings listed in the report (a checkpoint is one item). @default 200 */
  listLimit?: number;
  /** Rows of different cases imported at once. @default DEFAULT_CONCURRENCY */
  concurrency?: number;
}

export type ObjectOutcome = 'ignored' | 'already-done' | 'continued' | 'done';

export async function importObject(
  object: ImportObject,
  remainingMs: () => number,
  deps: ObjectRunDeps,
): Promise<ObjectOutcome> {
  if (object.key.endsWith(REPORT_SUFFIX)) return 'ignored';
  const saved = await deps.progress.load(object);
  if (saved?.done === true) return 'already-done';
  const name = object.key.split('/').at(-1) ?? object.key;
  const report = new ImportReport(name, deps.listLimit ?? 200);
  if (saved !== undefined)
    report.restore(saved.report as Pick<ReportJson, 'refused' | 'warnings' | 'truncated'>);
  const tally = saved?.tally ?? { rows: 0, imported: 0, unchanged: 0, refused: 0 };
  const fromLine = saved?.nextLine ?? 1;

  const body = await read(deps.s3, object);
  let format: ReportJson['format'] = 'ndjson';
  let shape: string | undefined;
  let ignoredColumns: string[] = [];
  const checkpoint = (nextLine: number, done: boolean): ImportCheckpoint => ({
    nextLine,
    done,
    tally,
    report: {
      refused: report.refused,
      warnings: report.warnings,
      ...(report.truncated === undefined ? {} : { truncated: report.truncated }),
    },
  });
  try {
    const rows = await openRows(body, { shapes: availableShapes(EVENT_TYPES), fromLine });
    format = rows.format;
    shape = rows.shape?.name;
    ignoredColumns = rows.ignored;
    let since = 0;
    const every = deps.checkpointEvery ?? 500;
    const result = await importRows(rows.rows, deps.ingest, {
      shape: rows.shape,
      shouldStop: () => remainingMs() < (deps.marginMs ?? 60_000),
      ...(deps.concurrency === undefined ? {} : { concurrency: deps.concurrency }),
      onRow: async (outcome) => {
        report.add(outcome);
        tally.rows++;
        tally[outcome.status]++;
        if (++since >= every) {
          since = 0;
          await deps.progress.save(object, checkpoint(outcome.line + 1, false), deps.clock.now());
        }
      },
    });
    if (result.stoppedAtLine !== undefined) {
      await deps.progress.save(object, checkpoint(result.stoppedAtLine, false), deps.clock.now());
      await deps.continueLater(object);
      deps.log.info('import handed on', {
        key: object.key,
        nextLine: result.stoppedAtLine,
        ...tally,
      });
      return 'continued';
    }
  } catch (error) {
    // A file that is not one of ours as a whole (no header we know, empty): said in the report.
    if (!(error instanceof UnusableFileError)) throw error;
    deps.metrics?.count('ImportFileUnusable');
    deps.log.warn('import refused the file', { key: object.key, problem: error.message });
    await write(deps.s3, object, {
      file: name,
      format,
      dryRun: false,
      tally,
      refused: [],
      warnings: [],
      unusable: error.message,
    });
    await deps.progress.save(object, checkpoint(fromLine, true), deps.clock.now());
    return 'done';
  } finally {
    destroy(body);
  }
  await write(
    deps.s3,
    object,
    report.toJson({ format, shape, dryRun: false, ignoredColumns }, { tally }),
  );
  await deps.progress.save(object, checkpoint(0, true), deps.clock.now());
  if (tally.refused > 0) {
    deps.metrics?.count('ImportRowsRefused', tally.refused);
    deps.log.warn('import done with refused rows', { key: object.key, ...tally });
  } else deps.log.info('import done', { key: object.key, ...tally });
  return 'done';
}

// The S3 client's commands load on first use, as the other lazily loaded clients do
// (lib/bundling.ts): bundled, the S3 client alone would take the bundle past its size budget.
async function read(s3: S3Client, object: ImportObject): Promise<AsyncIterable<Buffer>> {
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const found: GetObjectCommandOutput = await s3.send(
    new GetObjectCommand({
      Bucket: object.bucket,
      Key: object.key,
      ...(object.version.startsWith('"')
        ? { IfMatch: object.version }
        : { VersionId: object.version }),
    }),
  );
  return found.Body as unknown as AsyncIterable<Buffer>;
}

function destroy(body: AsyncIterable<Buffer>): void {
  (body as { destroy?: () => void }).destroy?.();
}

async function write(
  s3: S3Client,
  object: ImportObject,
  report: ReportJson | Record<string, unknown>,
) {
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await s3.send(
    new PutObjectCommand({
      Bucket: object.bucket,
      Key: `${object.key}${REPORT_SUFFIX}`,
      Body: JSON.stringify(report, null, 2),
      ContentType: 'application/json',
    }),
  );
}
