/**
 * The case page reads what it shows once: the case and its trail one read each, its
 * reminders planned from those same reads (the reminders API reads them for itself).
 */
import { describe, expect, it } from 'vitest';
import { ingestEvent } from '#functions/ingest/ingest-event.js';
import { casePage } from '#functions/web/case-view.js';
import type { ManagerDeps } from '#functions/web/manager-views.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { AUTHORITY, envelope } from '#test/api/support.js';
import { memoryStores } from '#test/support/memory-store.js';
import { TimerLog } from '#test/support/scheduler.js';

describe('the case page', () => {
  it('reads the case and its trail once each', async () => {
    // Prepare: C-1001 opened with a LADO concern, through the webhook's use case.
    const engine = makeCaseEngine(AUTHORITY);
    const { store, directory } = memoryStores();
    const clock = { now: () => new Date('2026-03-02T12:00:00Z') };
    const ingest = { store, directory, engine, scheduler: new TimerLog(), clock };
    await ingestEvent(envelope.caseOpened('open-1'), ingest);
    await ingestEvent(envelope.concern('concern-1'), ingest);
    const reads = { loadCase: 0, listAudit: 0 };
    const counted = Object.assign(Object.create(store) as typeof store, {
      loadCase: (id: string) => {
        reads.loadCase++;
        return store.loadCase(id);
      },
      listAudit: (id: string) => {
        reads.listAudit++;
        return store.listAudit(id);
      },
    });
    const deps = {
      store: counted,
      read: { store: counted },
      rules: engine.rules,
      clock,
      people: async () => [],
    } as unknown as ManagerDeps;
    const viewer = {
      personId: 'P-0001',
      name: 'Team Manager One',
      roles: ['team-manager' as const],
      teams: ['north-assessment'],
      cases: [],
    };
    // Act
    const page = await casePage(viewer, 'C-1001', deps);
    // Assess: the page shows the LADO clock and its reminders, from one read of each.
    expect(page.summary.map((c) => c.title)).toContain('LADO notification');
    expect(page.reminders.length).toBeGreaterThan(0);
    expect(page.audit.length).toBeGreaterThan(0);
    expect(reads).toEqual({ loadCase: 1, listAudit: 1 });
  });
});
