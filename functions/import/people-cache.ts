/**
 * The directory's people as an import reads them for its answers' warnings: each person read
 * once between two directory rows. Case rows never change the directory, and a directory row is
 * imported alone (`lanes.ts`), with the cache emptied around it — so every row is warned about
 * the directory exactly as one at a time would warn (a change made by another writer while
 * the import runs is seen from the next directory row, or the next import).
 */
import type { Person } from '#kernel/people.js';
import type { Directory } from '#kernel/ports.js';

/** People kept at most (then the cache starts again): memory stays bounded. */
const MAX_PEOPLE = 20_000;

export class PeopleCache implements Pick<Directory, 'getPerson'> {
  private readonly known = new Map<string, Promise<Person | undefined>>();

  constructor(private readonly source: Pick<Directory, 'getPerson'>) {}

  getPerson(personId: string): Promise<Person | undefined> {
    const cached = this.known.get(personId);
    if (cached !== undefined) return cached;
    if (this.known.size >= MAX_PEOPLE) this.known.clear();
    const read = this.source.getPerson(personId);
    this.known.set(personId, read);
    // A failed read is not remembered: the next row asks again.
    read.catch(() => this.known.delete(personId));
    return read;
  }

  clear(): void {
    this.known.clear();
  }
}
