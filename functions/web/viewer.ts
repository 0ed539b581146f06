/**
 * Turns a verified session into the viewer the pages work for: the directory's person (by id
 * locally, by email from the identity provider in AWS), their roles (local: read from the
 * directory; AWS: from their groups), the teams they manage, and — in both — what the cases
 * they are named on add (`withCases`).
 */

import {
  type GroupMapping,
  managedTeams,
  rolesFromDirectory,
  rolesFromGroups,
  type Viewer,
  withCases,
} from '#kernel/access.js';
import { DAY_MS } from '#kernel/calendar/days.js';
import type { Person } from '#kernel/people.js';
import type { DirectoryListing } from '#kernel/ports.js';
import { shiftsBetween } from './directory-lists.js';
import type { CasePeople } from './ports.js';

export interface ViewerDeps {
  people: () => Promise<Person[]>;
  directory: Pick<DirectoryListing, 'listShifts'>;
  groups: GroupMapping;
  /** The open cases each person is named on. */
  cases: CasePeople;
}

export type Identified =
  | { viewer: Viewer }
  /** Signed in, but the directory has nobody with that id or email. */
  | { unknown: string };

export async function viewerFor(
  signedIn: { personId?: string; email?: string; groups: string[] },
  now: Date,
  deps: ViewerDeps,
): Promise<Identified> {
  const people = await deps.people();
  const email = signedIn.email?.toLowerCase();
  const person =
    signedIn.personId !== undefined
      ? people.find((p) => p.personId === signedIn.personId)
      : people.find((p) => email !== undefined && p.email.toLowerCase() === email);
  if (person === undefined) return { unknown: signedIn.personId ?? signedIn.email ?? '' };
  const cases = deps.cases.casesOf(person.personId);
  const roles =
    signedIn.personId !== undefined
      ? rolesFromDirectory(
          person,
          people,
          await shiftsBetween(
            deps.directory,
            new Date(now.getTime() - 7 * DAY_MS),
            new Date(now.getTime() + 14 * DAY_MS),
          ),
        )
      : rolesFromGroups(signedIn.groups, deps.groups);
  const viewer = withCases(
    { personId: person.personId, name: person.name, roles, teams: managedTeams(person, people) },
    await cases,
  );
  return { viewer };
}
