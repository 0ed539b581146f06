/**
 * The directory's lists read whole, for the pages: everyone (kept per process until the
 * directory stamp moves), and the rota shifts over a stretch.
 */

import { everyPage } from '#kernel/paging.js';
import type { Person, RotaShift } from '#kernel/people.js';
import type { DirectoryListing } from '#kernel/ports.js';
import type { DirectoryOverview } from './ports.js';

/** Everyone in the directory, every page of the listing. */
export async function everyone(listing: Pick<DirectoryListing, 'listPeople'>): Promise<Person[]> {
  const people: Person[] = [];
  for await (const page of everyPage((cursor) => listing.listPeople({ limit: 1000, cursor })))
    people.push(...page.people);
  return people;
}

/** The rota shifts overlapping [from, to), every page of the listing. */
export async function shiftsBetween(
  listing: Pick<DirectoryListing, 'listShifts'>,
  from: Date,
  to: Date,
): Promise<RotaShift[]> {
  const shifts: RotaShift[] = [];
  for await (const page of everyPage((cursor) =>
    listing.listShifts({ from, to, limit: 1000, cursor }),
  ))
    shifts.push(...page.shifts.map(({ personId, from, to }) => ({ personId, from, to })));
  return shifts;
}

/** The people list, read again only when the directory stamp has moved. */
export function peopleByGeneration(
  listing: Pick<DirectoryListing, 'listPeople'> & Pick<DirectoryOverview, 'generation'>,
): () => Promise<Person[]> {
  let cached: { generation: number; people: Promise<Person[]> } | undefined;
  return async () => {
    const generation = await listing.generation();
    if (cached?.generation !== generation) {
      const people = everyone(listing);
      cached = { generation, people };
      // A failed read is not kept.
      people.catch(() => {
        if (cached?.people === people) cached = undefined;
      });
    }
    return cached.people;
  };
}
