/**
 * Cases side by side, each case's rows in file order: whatever the interleaving of the cases
 * in the file, whatever the concurrency and whichever cases finish first, the store ends as
 * importing the rows one at a time leaves it — every case, audit trail, event record (with its
 * answer and warnings), report counter, timer and reminder audit line — and every row gets the
 * same outcome, handed on in file order.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CaseEventLine, importLines, importWorld, jittered, storeText } from './support.js';

/** What may happen to a case after it opens (some refused: a LADO notice with no concern). */
const step = fc.oneof(
  fc.record({
    type: fc.constant('lado.concern-raised'),
    allegation: fc.constantFrom('A-1', 'A-2'),
  }),
  fc.record({ type: fc.constant('lado.notified'), allegation: fc.constantFrom('A-1', 'A-2') }),
  fc.record({ type: fc.constant('supervision.held') }),
  fc.record({ type: fc.constant('case.updated'), team: fc.constantFrom('north', 'south') }),
  fc.record({ type: fc.constant('disagreement.raised') }),
  fc.record({ type: fc.constant('disagreement.resolved') }),
  fc.record({ type: fc.constant('case.closed') }),
);
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;

function caseEvents(c: number, steps: Step[]): CaseEventLine[] {
  const caseId = `C-${1001 + c}`;
  const at = (i: number) => `2030-02-${String(1 + i * 2).padStart(2, '0')}T10:00:00Z`;
  const data = (s: Step): Record<string, unknown> => {
    if ('allegation' in s) return { allegationId: s.allegation };
    if ('team' in s) return { team: s.team };
    if (s.type === 'supervision.held') return { kind: 'joint' };
    if (s.type.startsWith('disagreement')) return { disagreementId: 'D-1' };
    return {};
  };
  return [
    {
      id: `${caseId}-0`,
      type: 'case.opened',
      caseId,
      occurredAt: at(0),
      data: {
        team: 'north',
        jointWithMentalHealth: c % 2 === 0,
        workers: [
          { personId: 'P-0001', role: 'allocated-worker' },
          { personId: 'P-0002', role: 'team-manager' },
        ],
      },
    },
    ...steps.map((s, i) => ({
      id: `${caseId}-${i + 1}`,
      type: s.type,
      caseId,
      occurredAt: at(i + 1),
      data: data(s),
    })),
  ];
}

/** The directory row some files carry: a person a case's warnings name, added mid-file. */
const PERSON: CaseEventLine = {
  id: 'person-P-0001',
  type: 'person.upserted',
  occurredAt: '2030-01-01T00:00:00Z',
  data: { personId: 'P-0001', name: 'Test Worker One', email: 'worker.one@example.gov.uk' },
};

const world = fc
  .record({
    cases: fc.array(fc.array(step, { maxLength: 6 }), { minLength: 1, maxLength: 5 }),
    picks: fc.array(fc.nat(), { maxLength: 60 }),
    concurrency: fc.integer({ min: 1, max: 8 }),
    delays: fc.array(fc.nat(4), { minLength: 1, maxLength: 12 }),
    person: fc.option(fc.nat(), { nil: undefined }),
    // An event id a later case reuses with another body (refused 409 where it comes second).
    reuse: fc.boolean(),
  })
  .map(({ cases, picks, concurrency, delays, person, reuse }) => {
    const perCase = cases.map((steps, c) => caseEvents(c, steps));
    if (reuse && perCase.length > 1) {
      const last = perCase.at(-1) as CaseEventLine[];
      last[0] = { ...(last[0] as CaseEventLine), id: 'C-1001-0' };
    }
    const sorted = perCase.flat();
    // An interleaving that keeps each case's order: each pick takes the next event of a case.
    const queues = perCase.map((events) => [...events]);
    const file: CaseEventLine[] = [];
    let k = 0;
    while (queues.some((q) => q.length > 0)) {
      const open = queues.filter((q) => q.length > 0);
      const pick = picks[k++] ?? 0;
      file.push((open[pick % open.length] as CaseEventLine[]).shift() as CaseEventLine);
    }
    if (person !== undefined) file.splice(person % (file.length + 1), 0, PERSON);
    return { file, sorted, concurrency, delays, directory: person !== undefined, reuse };
  });

describe('importing cases side by side', () => {
  it('leaves the store as one at a time would, whatever the interleaving and concurrency', async () => {
    await fc.assert(
      fc.asyncProperty(world, async ({ file, sorted, concurrency, delays, directory, reuse }) => {
        // Prepare: the same file one row at a time, and side by side with cases finishing
        // in an order of the test's choosing
        const caseIds = [...new Set(sorted.map((e) => e.caseId as string))];
        const eventIds = file.map((e) => e.id);
        const people = ['P-0001'];
        const one = importWorld();
        const many = importWorld();

        // Act
        const serial = await importLines(file, one.deps, { concurrency: 1 });
        const side = await importLines(file, jittered(many.deps, delays), { concurrency });

        // Assess: the same outcomes, in file order, and the same store
        expect(side.outcomes.map((o) => [o.line, o.status])).toEqual(
          serial.outcomes.map((o) => [o.line, o.status]),
        );
        expect(side.outcomes.map((o) => o.line)).toEqual(file.map((_, i) => i + 1));
        expect(side.result.tally).toEqual(serial.result.tally);
        expect(await storeText(many, caseIds, eventIds, people)).toBe(
          await storeText(one, caseIds, eventIds, people),
        );

        // Without a directory row or a reused id, the file's interleaving does not matter
        // either: the cases imported one after another, each in its own order, end the same
        if (!directory && !reuse) {
          const byCase = importWorld();
          await importLines(sorted, byCase.deps, { concurrency: 1 });
          expect(await storeText(many, caseIds, eventIds, people)).toBe(
            await storeText(byCase, caseIds, eventIds, people),
          );
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('the reminder lines of an import', () => {
  it('records the reminders each row planned, at the version its commit made', async () => {
    // A case opened (version 1: its joint supervision's reminders), then a LADO concern raised
    // on 3 February 2030, imported on 1 March: its 24-hour clock is breached on arrival, so
    // version 2 plans the breach's reminder (someone is told) rather than the 50 % and 75 % ones.
    const { deps, reminderAudit } = importWorld();
    await importLines(caseEvents(0, [{ type: 'lado.concern-raised', allegation: 'A-1' }]), deps);
    const planned = (version: number) =>
      reminderAudit.lines
        .filter((l) => l.caseVersion === version)
        .flatMap((l) => l.entries)
        .filter((e) => e.kind === 'reminder-planned');
    expect(planned(1).length).toBeGreaterThan(0);
    const steps = planned(2)
      .filter((e) => e.deadlineId === 'lado-notification.A-1')
      .map((e) => (e.detail as { step: string }).step);
    expect(steps).toContain('breach');
    expect(steps).not.toContain('p50');
  });
});
