/**
 * Who may see what on the managers' pages (pure). A viewer is a person from the directory
 * with one or more roles: a team manager sees their teams, a head of service every team, the
 * EDT manager the on-call page and the urgent clocks of every team. In AWS roles come from
 * the identity provider's groups (through Cognito); in local mode from the directory itself
 * (`rolesFromDirectory`). Teams always come from the directory: a manager's teams are their
 * own and their direct reports'.
 */
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
