/**
 * An import's dependencies: the events Lambda's own (`ingestDeps`: the same use case, store,
 * directory, engine and scheduler), or for a dry run the same over an in-memory overlay that
 * reads the real table and writes nothing (`#adapters/memory/overlay.js`). Shared by the CLI
 * (`bin/import.ts`) and the drop bucket's Lambda.
 */
import { DynamoDirectory } from '#adapters/dynamodb/directory.js';
import { dryRunStores, type Preview } from '#adapters/memory/overlay.js';
import type { ImportDeps } from '#use-cases/import-file.js';
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
    deps: { ...rest, store: dry.store, directory: dry.directory, scheduler: dry.scheduler },
    preview: (now) => dry.preview(now),
  };
}
