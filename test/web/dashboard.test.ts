/**
 * The dashboard's sections on DynamoDB Local: each role's clocks read by the query itself
 * (team index, the urgent rules, breached ones not met since), each clock once, and a section
 * that lists its first 200 and counts the rest.
 */
import { beforeEach, describe, expect, inject, it } from 'vitest';
import type { ReadDeps } from '#functions/read/read-queries.js';
import { type Dashboard, dashboard, SECTION_ROWS } from '#functions/web/dashboard-view.js';
import type { ManagerDeps } from '#functions/web/manager-views.js';
import type { Viewer } from '#kernel/access.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { Deadline } from '#kernel/model.js';
import { DynamoCaseStore } from '#platform/dynamodb/case-store.js';
import { AUTHORITY, freshTable } from '#test/api/support.js';
import { caseAggregate, deadline } from '#test/support/reminders.js';

const engine = makeCaseEngine(AUTHORITY);
/** Wednesday 9 June 2027, 10:00 BST: this week runs to Sunday 13 June, next week to the 20th. */
const NOW = new Date('2027-06-09T09:00:00Z');

let store: DynamoCaseStore;
let deps: ManagerDeps;

beforeEach(async () => {
  const table = await freshTable(inject('dynamoEndpoint'), 'dashboard');
  store = new DynamoCaseStore(table.client, table.tableName);
  deps = {
    store,
    read: {} as ReadDeps,
    rules: engine.rules,
    clock: { now: () => NOW },
  } as unknown as ManagerDeps;
});

/** A clock of the seeded case: its rule, due time, status and when it was met (ISO instants). */
interface Clock {
  rule: string;
  dueAt: string;
  status?: Deadline['status'];
  metAt?: string;
}

async function seed(caseId: string, team: string, clocks: Clock[]): Promise<void> {
  await store.commitCase({
    caseId,
    expectedVersion: 0,
    before: undefined,
    after: caseAggregate({
      caseId,
      team,
      deadlines: clocks.map((c, i) =>
        deadline({
          id: `${c.rule}.${i + 1}`,
          caseId,
          team,
          rule: c.rule,
          startedAt: new Date('2027-05-01T09:00:00Z'),
          dueAt: new Date(c.dueAt),
          ...(c.status === undefined ? {} : { status: c.status }),
          ...(c.metAt === undefined ? {} : { metAt: new Date(c.metAt) }),
        }),
      ),
    }),
    audit: [],
    now: NOW,
  });
}

const viewer = (roles: Viewer['roles'], teams: string[] = []): Viewer => ({
  personId: 'P-0100',
  name: 'Manager North',
  roles,
  teams,
  cases: [],
});

/** Each section as `caseId rule` per row, and its total. */
const sections = (d: Dashboard) =>
  Object.fromEntries(
    d.sections.map((s) => [
      s.id,
      { rows: s.rows.map((r) => `${r.caseId} ${r.rule}`), total: s.total },
    ]),
  );

describe('the dashboard on DynamoDB Local', () => {
  beforeEach(async () => {
    // lado-notification is urgent; disagreement and assessment are not.
    await seed('C-3001', 'north', [
      { rule: 'lado-notification', dueAt: '2027-06-10T09:00:00Z' }, // this week
      { rule: 'disagreement', dueAt: '2027-06-15T09:00:00Z' }, // next week
      { rule: 'assessment', dueAt: '2027-06-08T09:00:00Z' }, // overdue (timer not run yet)
      { rule: 'lado-notification', dueAt: '2027-06-01T09:00:00Z', status: 'breached' },
      {
        rule: 'disagreement',
        dueAt: '2027-06-02T09:00:00Z',
        status: 'breached',
        metAt: '2027-06-03T09:00:00Z',
      },
    ]);
    await seed('C-3002', 'south', [
      { rule: 'lado-notification', dueAt: '2027-06-11T09:00:00Z' }, // this week
      { rule: 'disagreement', dueAt: '2027-06-16T09:00:00Z' }, // next week
      { rule: 'assessment', dueAt: '2027-06-07T09:00:00Z' }, // overdue
      { rule: 'lado-notification', dueAt: '2027-06-04T09:00:00Z', status: 'breached' },
    ]);
  });

  it('shows a team manager their team’s clocks, breached ones not met since, by due time', async () => {
    const d = await dashboard(viewer(['team-manager'], ['north']), deps);
    expect(sections(d)).toEqual({
      breached: { rows: ['C-3001 lado-notification'], total: 1 },
      overdue: { rows: ['C-3001 assessment'], total: 1 },
      'this-week': { rows: ['C-3001 lado-notification'], total: 1 },
      'next-week': { rows: ['C-3001 disagreement'], total: 1 },
    });
  });

  it('shows the EDT manager the urgent clocks of every team only', async () => {
    const d = await dashboard(viewer(['edt']), deps);
    expect(sections(d)).toEqual({
      breached: { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      overdue: { rows: [], total: 0 },
      'this-week': { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      'next-week': { rows: [], total: 0 },
    });
  });

  it('shows a team manager who is EDT too their team’s clocks and every urgent one, each once', async () => {
    const d = await dashboard(viewer(['team-manager', 'edt'], ['north']), deps);
    expect(sections(d)).toEqual({
      breached: { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      overdue: { rows: ['C-3001 assessment'], total: 1 },
      'this-week': { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      'next-week': { rows: ['C-3001 disagreement'], total: 1 },
    });
  });

  it('shows a head of service every team', async () => {
    const d = await dashboard(viewer(['head-of-service']), deps);
    expect(sections(d)).toEqual({
      breached: { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      overdue: { rows: ['C-3002 assessment', 'C-3001 assessment'], total: 2 },
      'this-week': { rows: ['C-3001 lado-notification', 'C-3002 lado-notification'], total: 2 },
      'next-week': { rows: ['C-3001 disagreement', 'C-3002 disagreement'], total: 2 },
    });
  });
});

it('lists the first 200 clocks of a section by due time and counts the rest', async () => {
  // Prepare: 230 open disagreement clocks due this week, one minute apart, from Thursday 10:00
  const due = (i: number) =>
    new Date(Date.parse('2027-06-10T09:00:00Z') + i * 60_000).toISOString();
  await seed(
    'C-4001',
    'north',
    Array.from({ length: 230 }, (_, i) => ({ rule: 'disagreement', dueAt: due(i) })),
  );
  // Act
  const d = await dashboard(viewer(['team-manager'], ['north']), deps);
  // Assess
  const week = d.sections.find((s) => s.id === 'this-week');
  expect(SECTION_ROWS).toBe(200);
  expect(week?.total).toBe(230);
  expect(week?.rows.map((r) => r.dueAt)).toEqual(Array.from({ length: 200 }, (_, i) => due(i)));
});
