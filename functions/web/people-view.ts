/** The people page's view model (`/app/people`): the one page with contact details. */

import { DAY_MS } from '#kernel/calendar/days.js';
import type { Person } from '#kernel/people.js';
import { shiftsBetween } from './directory-lists.js';
import type { ManagerDeps } from './manager-views.js';

export interface PeoplePage {
  now: string;
  people: (Person & {
    managerName?: string;
    away: { from: string; to: string; delegateId: string; delegateName: string }[];
  })[];
  rota: { personId: string; name: string; from: string; to: string }[];
}

/** `/app/people`: people with their contact details, away periods and delegates; 14 days of rota. */
export async function peoplePage(deps: ManagerDeps): Promise<PeoplePage> {
  const now = deps.clock.now();
  const [people, away, rota] = await Promise.all([
    deps.people(),
    deps.directory.awayEndingAfter(now),
    shiftsBetween(deps.directory, now, new Date(now.getTime() + 14 * DAY_MS)),
  ]);
  const name = (id: string) => people.find((p) => p.personId === id)?.name ?? id;
  return {
    now: now.toISOString(),
    people: [...people]
      .sort((a, b) => a.name.localeCompare(b.name) || a.personId.localeCompare(b.personId))
      .map((p) => ({
        ...p,
        ...(p.managerId === undefined ? {} : { managerName: name(p.managerId) }),
        away: away
          .filter((a) => a.personId === p.personId)
          .sort((a, b) => a.from.localeCompare(b.from))
          .map((a) => ({
            from: a.from,
            to: a.to,
            delegateId: a.delegateId,
            delegateName: name(a.delegateId),
          })),
      })),
    rota: rota
      .sort((a, b) => a.from.localeCompare(b.from))
      .map((s) => ({ ...s, name: name(s.personId) })),
  };
}
