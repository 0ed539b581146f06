/** The ports only the read API uses: the reminders that reached nobody, newest first. */
import type { UnroutedReminder } from '#kernel/records.js';

export interface UnroutedQueryInput {
  /** Only reminders due to fire at or after this instant. */
  since?: Date | undefined;
  team?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

/** Unrouted reminders, newest first (written with the firing's audit lines). */
export interface UnroutedStore {
  queryUnrouted(
    query: UnroutedQueryInput,
  ): Promise<{ reminders: UnroutedReminder[]; nextCursor?: string }>;
}
