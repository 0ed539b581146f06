/**
 * The webhook keeps the aggregate it committed and reuses it when the next event on the case
 * reads the same text. Reusing it must change nothing: the store, the answers and the timers are
 * those of a use case that decodes every read — also when another container writes the case
 * in between, or an event is refused.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DecodedCases } from '#functions/ingest/decoded-cases.js';
import { type IngestDeps, ingestEvent } from '#functions/ingest/ingest-event.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import type { CaseAggregate } from '#kernel/model.js';
import type { StoredCase } from '#kernel/records.js';
import { serializeAggregate, storedCaseOf } from '#platform/dynamodb/codec.js';
import { type MemoryCaseStore, memoryStores } from '#test/support/memory-store.js';
import { TimerLog } from '#test/support/scheduler.js';
import { AUTHORITY } from './support.js';

const engine = makeCaseEngine(AUTHORITY);
const clock = { now: () => new Date('2030-03-01T09:00:00Z') };

/** What may happen on a case (some refused: a LADO notice with no concern raised). */
const STEPS = [
  ['supervision.held', { kind: 'joint' }],
  ['lado.concern-raised', { allegationId: 'A-1' }],
  ['lado.notified', { allegationId: 'A-1' }],
  ['lado.notified', { allegationId: 'A-2' }],
  ['case.updated', { team: 'south' }],
  ['case.updated', { riskLevel: 'high' }],
  ['disagreement.raised', { disagreementId: 'D-1' }],
  ['disagreement.resolved', { disagreementId: 'D-1' }],
  ['case.closed', {}],
] as const;

const opened = (caseId: string) => ({
  type: 'case.opened',
  data: {
    team: 'north',
    jointWithMentalHealth: true,
    workers: [
      { personId: 'P-0001', role: 'allocated-worker' },
      { personId: 'P-0002', role: 'team-manager' },
    ],
  },
  caseId,
});

/** Each step: which case, what happens, and whether another container sends it. */
const story = fc.array(
  fc.record({
    case: fc.integer({ min: 0, max: 2 }),
    step: fc.integer({ min: 0, max: STEPS.length - 1 }),
    elsewhere: fc.boolean(),
  }),
  { maxLength: 30 },
);

function world(decoded: DecodedCases | undefined) {
  const { store, directory } = memoryStores();
  const deps = (memo: DecodedCases | undefined): IngestDeps => ({
    store,
    directory,
    engine,
    scheduler: new TimerLog(),
    clock,
    ...(memo === undefined ? {} : { decoded: memo }),
  });
  // Another container shares the table, not the memo.
  return { store, here: deps(decoded), elsewhere: deps(undefined) };
}

async function send(deps: IngestDeps, body: Record<string, unknown>): Promise<string> {
  try {
    return JSON.stringify(await ingestEvent(body, deps));
  } catch (error) {
    return `refused: ${(error as Error).name}`;
  }
}

async function storeText(store: MemoryCaseStore, caseIds: string[]): Promise<string> {
  const cases = await Promise.all(
    caseIds.map(async (id) => ({
      stored: (await store.loadCase(id))?.serialized,
      audit: await store.listAudit(id),
      deadlines: await store.listDeadlines(id),
    })),
  );
  return JSON.stringify(cases);
}

describe('the webhook reusing the aggregate it committed', () => {
  it('leaves the store, answers and timers as decoding every read would', async () => {
    await fc.assert(
      fc.asyncProperty(story, async (steps) => {
        // Prepare: the same story sent with the memo and without it
        const caseIds = ['C-1001', 'C-1002', 'C-1003'];
        const bodies = [
          ...caseIds.map((caseId, i) => ({ ...opened(caseId), elsewhere: false, i })),
          ...steps.map((s, i) => {
            const [type, data] = STEPS[s.step] as (typeof STEPS)[number];
            const caseId = caseIds[s.case] as string;
            return { type, data, caseId, elsewhere: s.elsewhere, i: i + caseIds.length };
          }),
        ];
        const withMemo = world(new DecodedCases());
        const without = world(undefined);
        const answers: [string[], string[]] = [[], []];

        // Act
        for (const [k, w] of [withMemo, without].entries())
          for (const { elsewhere, i, ...event } of bodies) {
            const body = {
              ...event,
              id: `evt-${i}`,
              occurredAt: new Date(Date.UTC(2030, 0, 1 + i, 10)).toISOString(),
            };
            answers[k]?.push(await send(elsewhere ? w.elsewhere : w.here, body));
          }

        // Assess
        expect(answers[0]).toEqual(answers[1]);
        expect(await storeText(withMemo.store, caseIds)).toBe(
          await storeText(without.store, caseIds),
        );
        const timers = (w: ReturnType<typeof world>) =>
          [w.here, w.elsewhere].map((d) => {
            const log = d.scheduler as TimerLog;
            return [log.scheduled.map((t) => [t.name, t.fireAt.toISOString()]), log.cancelled];
          });
        expect(timers(withMemo)).toEqual(timers(without));
      }),
      { numRuns: 40 },
    );
  });
});

describe('DecodedCases', () => {
  const aggregate = (caseId: string): CaseAggregate => {
    const result = engine.applyEvent(
      undefined,
      {
        ...opened(caseId),
        id: `evt-${caseId}`,
        occurredAt: '2030-01-02T10:00:00Z',
      } as Parameters<typeof engine.applyEvent>[1],
      clock.now(),
    );
    return result.aggregate;
  };
  const read = (caseId: string, text: string): StoredCase =>
    storedCaseOf({ caseId, version: 1, updatedAt: '2030-01-02T10:00:00Z', aggregate: text });

  it('hands back the aggregate committed when the text read is the text committed', () => {
    const memo = new DecodedCases();
    const kept = aggregate('C-1001');
    const text = serializeAggregate(kept);
    memo.committed('C-1001', text, kept);

    // A copy of the text (as a store's answer is), not the same string
    expect(memo.aggregateOf(read('C-1001', ` ${text}`.slice(1)))).toBe(kept);
  });

  it('decodes the text read when another writer changed the case since', () => {
    const memo = new DecodedCases();
    const kept = aggregate('C-1001');
    memo.committed('C-1001', serializeAggregate(kept), kept);
    const theirs = { ...kept, team: 'south' };

    const got = memo.aggregateOf(read('C-1001', serializeAggregate(theirs)));

    expect(got).not.toBe(kept);
    expect(got.team).toBe('south');
  });

  it('keeps at most 1,000 cases, forgetting the oldest first', () => {
    const memo = new DecodedCases();
    const kept = aggregate('C-1001');
    const text = serializeAggregate(kept);
    for (let i = 0; i <= 1000; i++) memo.committed(`C-${i}`, text, kept);

    // The first case kept was forgotten; the 1,000 after it are all still kept
    expect(memo.aggregateOf(read('C-0', text))).not.toBe(kept);
    expect(memo.aggregateOf(read('C-1', text))).toBe(kept);
    expect(memo.aggregateOf(read('C-1000', text))).toBe(kept);
  });
});
