/**
 * Who may see what on the managers' pages (pure). A viewer is a person from the directory
 * with one or more roles: a team manager sees their teams, a head of service every team, the
 * EDT manager the on-call page and the urgent clocks of every team. In AWS roles come from
 * the identity provider's groups (through Cognito); in local mode from the directory itself
 * (`rolesFromDirectory`). In both, the cases add to them (`withCases`): a person named as a
 * case's team manager manages its team, and anyone named on a case may open its page. A
 * manager's teams are their own and their direct reports' (the directory), and their cases'.
 */
import type { WorkerRole } from '#schemas/events.js';
import type { Person, RotaShift } from './people.js';

export const ROLES = ['team-manager', 'head-of-service', 'edt'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_NAMES: Record<Role, string> = {
  'team-manager': 'Team manager',
  'head-of-service': 'Head of service',
  edt: 'EDT manager',
};

export interface Viewer {
  personId: string;
  name: string;
  roles: Role[];
  /** The teams a team manager manages (empty for the other roles). */
  teams: string[];
  /** The open cases the person is named on, in any role. */
  cases: CaseLink[];
}

/** A person named on an open case: the case, its team, and their roles on it. */
export interface CaseLink {
  caseId: string;
  team: string;
  roles: WorkerRole[];
}

/**
 * The viewer with what their cases give: team manager of the team of every case that names
 * them as its team manager (its dashboard, cases and report rows), and their cases.
 */
export function withCases(viewer: Omit<Viewer, 'cases'>, cases: readonly CaseLink[]): Viewer {
  const managed = cases.filter((c) => c.roles.includes('team-manager')).map((c) => c.team);
  const teams = [...new Set([...viewer.teams, ...managed])].sort();
  const roles =
    managed.length > 0 && !viewer.roles.includes('team-manager')
      ? ROLES.filter((r) => r === 'team-manager' || viewer.roles.includes(r))
      : viewer.roles;
  return { ...viewer, roles, teams, cases: [...cases] };
}

/** Whether the viewer is named on the case (any role): they may open its page. */
export function namedOn(viewer: Viewer, workers: readonly { personId: string }[]): boolean {
  return workers.some((w) => w.personId === viewer.personId);
}

/** The pages a navigation lists, by the route names of `schemas/web.ts`. */
export type NavPage = 'home' | 'onCall' | 'people' | 'compliance';

/**
 * The pages the viewer may open, in the navigation's order: their deadlines (any role, or
 * named on a case), on call and people (any role: contact details are for managers), the
 * compliance report (team managers and heads of service).
 */
export function pagesFor(viewer: Viewer | undefined): NavPage[] {
  if (viewer === undefined) return [];
  const pages: NavPage[] = [];
  if (viewer.roles.length > 0 || viewer.cases.length > 0) pages.push('home');
  if (viewer.roles.length > 0) pages.push('onCall', 'people');
  if (reportTeams(viewer)?.length !== 0) pages.push('compliance');
  return pages;
}

/** The people whose `managerId` is `personId`. */
export function directReports(personId: string, people: readonly Person[]): Person[] {
  return people.filter((p) => p.managerId === personId && p.personId !== personId);
}

/** A manager's teams: their own and their direct reports', sorted. */
export function managedTeams(person: Person, people: readonly Person[]): string[] {
  const reports = directReports(person.personId, people);
  const teams = new Set(reports.flatMap((p) => (p.team === undefined ? [] : [p.team])));
  if (person.team !== undefined) teams.add(person.team);
  return [...teams].sort();
}

/**
 * Local mode's roles, read from the directory: team manager when someone reports to them,
 * head of service when someone reporting to them manages others in turn, EDT manager when
 * they have a rota shift from a week ago to two weeks ahead.
 */
export function rolesFromDirectory(
  person: Person,
  people: readonly Person[],
  shifts: readonly RotaShift[],
): Role[] {
  const roles: Role[] = [];
  const reports = directReports(person.personId, people);
  if (reports.length > 0) roles.push('team-manager');
  if (reports.some((r) => directReports(r.personId, people).length > 0))
    roles.push('head-of-service');
  if (shifts.some((s) => s.personId === person.personId)) roles.push('edt');
  return roles;
}

/** Which groups (as the identity provider or Cognito names them) give each role. */
export type GroupMapping = Record<Role, readonly string[]>;

export const DEFAULT_GROUPS: GroupMapping = {
  'team-manager': ['timescales-team-managers'],
  'head-of-service': ['timescales-heads-of-service'],
  edt: ['timescales-edt'],
};

/** The roles a signed-in person's groups give. */
export function rolesFromGroups(groups: readonly string[], mapping: GroupMapping): Role[] {
  return ROLES.filter((role) => mapping[role].some((g) => groups.includes(g)));
}

export function isHead(viewer: Viewer): boolean {
  return viewer.roles.includes('head-of-service');
}

/**
 * Whether a deadline is the viewer's to see: every clock for a head of service, their teams'
 * for a team manager, urgent clocks of any team for the EDT manager.
 */
export function maySeeClock(viewer: Viewer, team: string | undefined, urgent: boolean): boolean {
  if (isHead(viewer)) return true;
  if (viewer.roles.includes('team-manager') && team !== undefined && viewer.teams.includes(team))
    return true;
  return viewer.roles.includes('edt') && urgent;
}

/**
 * The teams whose report rows the viewer may read: undefined for every team (head of
 * service), their teams for a team manager, none for an EDT manager alone.
 */
export function reportTeams(viewer: Viewer): string[] | undefined {
  if (isHead(viewer)) return undefined;
  return viewer.roles.includes('team-manager') ? viewer.teams : [];
}
