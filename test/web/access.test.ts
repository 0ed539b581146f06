/**
 * Who may see what, from the directory and the cases (pure), and the case links the store
 * keeps for it on DynamoDB Local: one per person named on an open case, changed by the case's
 * own commits.
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import { namedOn, pagesFor, type Viewer, withCases } from '#kernel/access.js';
import type { CaseAggregate } from '#kernel/model.js';
import { DynamoCasePeople } from '#platform/dynamodb/case-people.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { freshTable } from '#test/api/support.js';
import { caseAggregate } from '#test/support/reminders.js';

const person = (roles: Viewer['roles'], teams: string[] = []) => ({
  personId: 'P-0002',
  name: 'Manager One',
  roles,
  teams,
});

describe('roles from the cases as well as the directory', () => {
  it('makes the team manager named on a case manager of its team, keeping the other roles', () => {
    // Prepare: an EDT manager whose directory team is east, named on two cases.
    const viewer = withCases(person(['edt'], []), [
      { caseId: 'C-1001', team: 'north', roles: ['team-manager'] },
      { caseId: 'C-2001', team: 'south', roles: ['lado'] },
    ]);
    // Assess: team manager of north only (the LADO role manages nothing), and still EDT.
    expect(viewer.roles).toEqual(['team-manager', 'edt']);
    expect(viewer.teams).toEqual(['north']);
    expect(namedOn(viewer, [{ personId: 'P-0002' }])).toBe(true);
    expect(namedOn(viewer, [{ personId: 'P-0009' }])).toBe(false);
  });

  it('offers each person only the pages they may open', () => {
    const cases = [{ caseId: 'C-1001', team: 'north', roles: ['lado' as const] }];
    expect(pagesFor(withCases(person(['team-manager'], ['north']), []))).toEqual([
      'home',
      'onCall',
      'people',
      'compliance',
    ]);
    expect(pagesFor(withCases(person(['head-of-service']), []))).toEqual([
      'home',
      'onCall',
      'people',
      'compliance',
    ]);
    expect(pagesFor(withCases(person(['edt']), []))).toEqual(['home', 'onCall', 'people']);
    // Named on a case with no role: their deadlines only (no directory, no report).
    expect(pagesFor(withCases(person([]), cases))).toEqual(['home']);
    expect(pagesFor(withCases(person([]), []))).toEqual([]);
    expect(pagesFor(undefined)).toEqual([]);
  });
});

describe('the case links in the table', () => {
  let store: DynamoCaseStore;
  let links: DynamoCasePeople;
  beforeEach(async () => {
    const table = await freshTable(inject('dynamoEndpoint'), 'case-people');
    store = new DynamoCaseStore(table.client, table.tableName);
    links = new DynamoCasePeople(table.client, table.tableName);
  });

  const commit = (version: number, before: CaseAggregate | undefined, after: CaseAggregate) =>
    store.commitCase({
      caseId: after.caseId,
      expectedVersion: version,
      before,
      after,
      audit: [],
      now: new Date('2030-05-24T15:00:00Z'),
    });

  it('follow the case: named, renamed, taken off, and gone when it closes', async () => {
    // Prepare: C-1001 (north) names P-0002 twice over and P-0004 once.
    const opened = caseAggregate({
      caseId: 'C-1001',
      team: 'north',
      workers: [
        { personId: 'P-0002', role: 'team-manager' },
        { personId: 'P-0002', role: 'supervisor' },
        { personId: 'P-0004', role: 'lado' },
      ],
    });
    await commit(0, undefined, opened);
    expect(await links.casesOf('P-0002')).toEqual([
      { caseId: 'C-1001', team: 'north', roles: ['supervisor', 'team-manager'] },
    ]);
    expect(await links.casesOf('P-0004')).toEqual([
      { caseId: 'C-1001', team: 'north', roles: ['lado'] },
    ]);
    // Act: the case moves to team south and P-0004 is taken off it.
    const moved = {
      ...opened,
      team: 'south',
      workers: [{ personId: 'P-0002', role: 'team-manager' as const }],
    };
    await commit(1, opened, moved);
    expect(await links.casesOf('P-0002')).toEqual([
      { caseId: 'C-1001', team: 'south', roles: ['team-manager'] },
    ]);
    expect(await links.casesOf('P-0004')).toEqual([]);
    // Act: closed.
    await commit(2, moved, { ...moved, status: 'closed' });
    expect(await links.casesOf('P-0002')).toEqual([]);
  });
});
