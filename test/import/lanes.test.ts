/**
 * The import's concurrency (`runOrdered`): jobs of one lane one at a time in order, lanes side
 * by side up to the limit, a barrier alone, a shared id waited for, results in the order the
 * jobs came, and a failure that stops the run after what was started has finished.
 */
import { describe, expect, it } from 'vitest';
import { type Job, runOrdered } from '#functions/import/lanes.js';

/** A job that logs its start and end, finishing after `ticks` turns of the event loop. */
function job(
  log: string[],
  name: string,
  lane: string | null | undefined,
  ticks: number,
  ids: string[] = [],
): Job<string> {
  return {
    lane,
    ids,
    run: async () => {
      log.push(`start ${name}`);
      for (let i = 0; i < ticks; i++) await new Promise((r) => setImmediate(r));
      log.push(`end ${name}`);
      return name;
    },
  };
}

async function* from<T>(jobs: Job<T>[]): AsyncGenerator<Job<T>> {
  yield* jobs;
}

async function run(jobs: Job<string>[], concurrency: number) {
  const delivered: string[] = [];
  await runOrdered(from(jobs), { concurrency, deliver: (r) => void delivered.push(r) });
  return delivered;
}

describe('jobs run side by side, answered in order', () => {
  it('runs a lane’s jobs one after another and other lanes meanwhile', async () => {
    // Prepare: a1 is slow; a2 must wait for it, b1 need not
    const log: string[] = [];

    // Act
    const delivered = await run(
      [job(log, 'a1', 'A', 5), job(log, 'a2', 'A', 1), job(log, 'b1', 'B', 1)],
      4,
    );

    // Assess: b1 ran while a1 did, a2 only after a1; results in the order given
    expect(log.indexOf('end b1')).toBeLessThan(log.indexOf('end a1'));
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(delivered).toEqual(['a1', 'a2', 'b1']);
  });

  it('never runs more than the concurrency at once', async () => {
    const log: string[] = [];
    const jobs = Array.from({ length: 12 }, (_, i) => job(log, `j${i}`, `L${i}`, 3));

    await run(jobs, 3);

    let running = 0;
    let most = 0;
    for (const entry of log) {
      running += entry.startsWith('start') ? 1 : -1;
      most = Math.max(most, running);
    }
    expect(most).toBe(3);
  });

  it('runs a barrier alone: after every job before it, before every job after it', async () => {
    const log: string[] = [];

    await run(
      [
        job(log, 'a', 'A', 4),
        job(log, 'b', 'B', 2),
        job(log, 'dir', null, 1),
        job(log, 'c', 'C', 1),
      ],
      4,
    );

    expect(log.indexOf('start dir')).toBeGreaterThan(
      Math.max(log.indexOf('end a'), log.indexOf('end b')),
    );
    expect(log.indexOf('start c')).toBeGreaterThan(log.indexOf('end dir'));
  });

  it('makes a job wait for an earlier job of another lane that shares an id', async () => {
    const log: string[] = [];

    await run([job(log, 'a', 'A', 4, ['e-1']), job(log, 'b', 'B', 1, ['e-1'])], 4);

    expect(log.indexOf('start b')).toBeGreaterThan(log.indexOf('end a'));
  });

  it('stops at a failure, lets what started finish, delivers what came before, and throws', async () => {
    const log: string[] = [];
    const delivered: string[] = [];
    let pulled = 0;
    async function* jobs(): AsyncGenerator<Job<string>> {
      for (let i = 0; i < 100; i++) {
        pulled++;
        if (i === 2) {
          yield {
            lane: 'X',
            run: async () => {
              throw new Error('the store is unreachable');
            },
          };
        } else yield job(log, `j${i}`, `L${i}`, 2);
      }
    }

    await expect(
      runOrdered(jobs(), { concurrency: 2, window: 4, deliver: (r) => void delivered.push(r) }),
    ).rejects.toThrow('the store is unreachable');

    expect(delivered).toEqual(['j0', 'j1']);
    // Every job that started also ended, and reading stopped soon after the failure
    expect(log.filter((l) => l.startsWith('start')).length).toBe(
      log.filter((l) => l.startsWith('end')).length,
    );
    expect(pulled).toBeLessThan(10);
  });

  it('starts no job after a failure, not even one already waiting behind it in its lane', async () => {
    // Prepare: lane A's first job fails while B's runs; A's second job and B's second are
    // already read and waiting
    const log: string[] = [];
    const failing: Job<string> = {
      lane: 'A',
      run: async () => {
        log.push('start a1');
        await new Promise((r) => setImmediate(r));
        throw new Error('the process died');
      },
    };
    const jobs = [failing, job(log, 'b1', 'B', 3), job(log, 'a2', 'A', 1), job(log, 'b2', 'B', 1)];

    // Act
    const outcome = run(jobs, 2);

    // Assess: the first error goes up; b1 (started) finished; a2 and b2 never started
    await expect(outcome).rejects.toThrow('the process died');
    expect(log).toEqual(['start a1', 'start b1', 'end b1']);
  });
});
