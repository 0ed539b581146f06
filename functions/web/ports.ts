/** The ports only the managers' pages use (the directory's overview, the EDT alerts log). */
import type { CaseLink } from '#kernel/access.js';
import type { AwayPeriod } from '#kernel/people.js';
import type { DigestEntry } from '#kernel/records.js';

/**
 * What the managers' pages read besides the listing (`/app/people`, `/app/on-call`, sign-in):
 * the current and coming away periods of everyone, and the directory stamp, so a people list
 * read at one generation is kept until it moves.
 */
export interface DirectoryOverview {
  /** Away periods that end after `at`: the current and coming ones. */
  awayEndingAfter(at: Date): Promise<AwayPeriod[]>;
  generation(): Promise<number>;
}

/** EDT alerts (the morning digests' entries) across teams, by when they were sent. */
export interface AlertLog {
  alertsSince(since: Date): Promise<DigestEntry[]>;
}

/** Who is named on which open case (the case's commits keep it). */
export interface CasePeople {
  /** The open cases `personId` is named on, in any role. */
  casesOf(personId: string): Promise<CaseLink[]>;
}
