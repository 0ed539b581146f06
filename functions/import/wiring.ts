/**
 * An import's dependencies: the events Lambda's own (`ingestDeps`: the same use case, store,
 * directory, engine and scheduler), or for a dry run the same over an in-memory overlay that
 * reads the real table and writes nothing (`#platform/memory/overlay.js`); a real run adds the
 * import's batched calls on the table (`dynamo-import-store.ts`). Shared by the CLI
 * (`bin/import.ts`) and the drop bucket's Lambda.
 */

import { type IngestWiring, ingestDeps } from '#functions/ingest/wiring.js';
import { systemClock } from '#kernel/ports.js';
import { awsEngine, documentClient } from '#platform/aws.js';
import { config, schedulerVars, tableVars } from '#platform/config.js';
import { DynamoDirectory } from '#platform/dynamodb/directory.js';
import { lazyClient } from '#platform/lazy.js';
import { powertoolsLog } from '#platform/logger.js';
import { dryRunStores, type Preview } from '#platform/memory/overlay.js';
import { makeEventBridgeScheduler } from '#platform/scheduler/index.js';
import { DynamoImportStore } from './dynamo-import-store.js';
import type { ImportDeps } from './import-file.js';
import { DynamoImportProgress } from './progress-store.js';
import type { ObjectRunDeps } from './run-object.js';

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
  if (wiring.dryRun !== true) {
    const importStore = new DynamoImportStore(wiring.client, wiring.tableName);
    // The rows' people are read with the stretches' batched reads.
    return { deps: { ...real, importStore, people: importStore } };
  }
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
  const cfg = config(tableVars, schedulerVars);
  const client = documentClient();
  // The function's own name, set by the Lambda runtime: a continuation invokes it again.
  const functionName = process.env.AWS_LAMBDA_FUNCTION_NAME;
  if (functionName === undefined) throw new Error('AWS_LAMBDA_FUNCTION_NAME is not set');
  return {
    s3: await s3(),
    ingest: importDeps({
      client,
      tableName: cfg.tableName,
      engine: await awsEngine(),
      scheduler: makeEventBridgeScheduler(cfg),
      clock: systemClock,
    }).deps,
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
