/** The import's concurrency: its default and its ceiling (no imports: the CLI reads it cheaply). */

/** Rows of different cases imported at once when not told otherwise (`--concurrency`). */
export const DEFAULT_CONCURRENCY = 16;

/** The most `--concurrency` takes. */
export const MAX_CONCURRENCY = 64;
