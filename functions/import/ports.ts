/** The ports only the drop bucket's import uses: where an object's import stands. */

/** One version of one object in the drop bucket. */
export interface ImportObject {
  bucket: string;
  key: string;
  /** The object's version id, else its ETag. */
  version: string;
}

/** Where an object's import stands: resumed from `nextLine` by a later invocation. */
export interface ImportCheckpoint {
  nextLine: number;
  done: boolean;
  tally: { rows: number; imported: number; unchanged: number; refused: number };
  /** The report's lists so far (refused rows, warnings), as the report writes them. */
  report: unknown;
}

export interface ImportProgressStore {
  load(object: ImportObject): Promise<ImportCheckpoint | undefined>;
  save(object: ImportObject, checkpoint: ImportCheckpoint, now: Date): Promise<void>;
}
