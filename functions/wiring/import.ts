/**
 * An import's dependencies: the events Lambda's own (`ingestDeps`: the same use case, store,
 * directory, engine and scheduler), or for a dry run the same over an in-memory overlay that
 * reads the real table and writes nothing (`#adapters/memory/overlay.js`). Shared by the CLI
 * (`bin/import.ts`) and the drop bucket's Lambda.
 */
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { DynamoImportProgress } from '#adapters/dynamodb/import-progress.js';
import { dryRunStores, type Preview } from '#adapters/memory/overlay.js';
import { makeEventBridgeScheduler } from '#adapters/scheduler/index.js';
import { config } from '#commons/config.js';
import { lazyClient } from '#commons/lazy.js';
import { powertoolsLog } from '#commons/logger.js';
import { systemClock } from '#domain/ports.js';
import type { ObjectRunDeps } from '#functions/import/run-object.js';
import type { ImportDeps } from '#use-cases/import-file.js';
import { awsEngine, documentClient } from './aws.js';
import { type IngestWiring, ingestDeps } from './events.js';

export interface ImportWiring extends IngestWiring {
  /** Read the table, write nothing, and say what would change. */
  dryRun?: boolean;
}

export interface ImportRun {
  deps: ImportDeps;
  /** Dry runs only: what the run would have changed, as of `now`. */
  preview?: (now: Date) => Promise<Preview>;
}

export function importDeps(wiring: ImportWiring): ImportRun {
  const real = ingestDeps(wiring);
  if (wiring.dryRun !== true) return { deps: real };
  const dry = dryRunStores({
    store: real.store,
    people: new DynamoDirectory(wiring.client, wiring.tableName),
  });
  const { reminderAudit: _none, ...rest } = real;
  return {
    // The 202's warnings read people through the overlay: those the same file adds count.
    deps: {
      ...rest,
      store: dry.store,
      directory: dry.directory,
      people: dry.directory,
      scheduler: dry.scheduler,
    },
    preview: (now) => dry.preview(now),
  };
}

/** S3 and Lambda clients, each SDK package imported on first use (only this Lambda needs them). */
const s3 = lazyClient(async () => new (await import('@aws-sdk/client-s3')).S3Client({}));
const lambda = lazyClient(
  async () => new (await import('@aws-sdk/client-lambda')).LambdaClient({}),
);

/** The drop bucket's Lambda in AWS: the events Lambda's ingest, S3, checkpoints, self-invocation. */
export async function awsImportObjectDeps(): Promise<ObjectRunDeps> {
  const cfg = config();
  const client = documentClient();
  // The function's own name, set by the Lambda runtime: a continuation invokes it again.
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (functionName === undefined) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set');
  return {
    s3: await s3(),
    ingest: ingestDeps({
      client,
      tableName: cfg.tableName,
      engine: await awsEngine(),
      scheduler: makeEventBridgeScheduler(cfg),
      clock: systemClock,
    }),
    progress: new DynamoImportProgress(client, cfg.tableName),
    clock: systemClock,
    log: powertoolsLog,
    continueLater: async (object) => {
      const { InvokeCommand } = await import('@aws-sdk/client-lambda');
      await (await lambda()).send(
        new InvokeCommand({
          FunctionName: functionName,
          InvocationType: 'Event',
          Payload: Buffer.from(JSON.stringify({ continue: object })),
        }),
      );
    },
  };
}
