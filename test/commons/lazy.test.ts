import { describe, expect, it } from 'vitest';
import { lazy, lazyClient } from '#platform/lazy.js';

describe('lazy', () => {
  it('runs a synchronous init once and hands every call the same value', () => {
    // Prepare
    let runs = 0;
    const get = lazy(() => ({ run: ++runs }));
    // Act
    const first = get();
    const second = get();
    // Assess
    expect(runs).toBe(1);
    expect(second).toBe(first);
  });

  it('runs an async init once, its promise shared by calls made while it is pending', async () => {
    // Prepare: an init that finishes only when the test says so.
    let runs = 0;
    let finish: (value: { run: number }) => void = () => {};
    const get = lazy(() => {
      runs++;
      return new Promise<{ run: number }>((done) => {
        finish = done;
      });
    });
    // Act
    const waiting = [get(), get(), get()];
    finish({ run: runs });
    const values = await Promise.all(waiting);
    // Assess
    expect(runs).toBe(1);
    expect(new Set([...values, await get()]).size).toBe(1);
  });

  it('runs an init that threw again on the next call, then keeps its value', () => {
    // Prepare: the configuration is invalid on the first call only.
    let runs = 0;
    const get = lazy(() => {
      runs++;
      if (runs === 1) throw new Error('Invalid configuration');
      return { run: runs };
    });
    // Act
    const first = (() => {
      try {
        return get();
      } catch (error) {
        return error;
      }
    })();
    const second = get();
    // Assess
    expect(first).toBeInstanceOf(Error);
    expect(second).toEqual({ run: 2 });
    expect(get()).toBe(second);
    expect(runs).toBe(2);
  });

  it('runs an init whose promise rejected again on the next call (a failed cold start is retried)', async () => {
    // Prepare: Secrets Manager is unreachable for the first start.
    let runs = 0;
    const get = lazy(async () => {
      runs++;
      if (runs === 1) throw new Error('connect ETIMEDOUT');
      return { run: runs };
    });
    // Act
    const failures = await Promise.allSettled([get(), get()]);
    const second = await get();
    // Assess: both callers of the first start saw its failure; the next call started again.
    expect(failures.map((f) => f.status)).toEqual(['rejected', 'rejected']);
    expect(second).toEqual({ run: 2 });
    expect(await get()).toBe(second);
    expect(runs).toBe(2);
  });
});

describe('lazyClient', () => {
  it('hands back a client given as an instance', async () => {
    const client = { name: 'ready' };
    const get = lazyClient(client);
    expect(await get()).toBe(client);
  });

  it('loads a client given as a factory once, however many calls wait for it', async () => {
    // Prepare
    let loads = 0;
    const get = lazyClient(async () => ({ load: ++loads }));
    // Act
    const clients = await Promise.all([get(), get(), get()]);
    const later = await get();
    // Assess
    expect(loads).toBe(1);
    expect(new Set([...clients, later]).size).toBe(1);
  });

  it('tries a failed load again on the next call instead of keeping the failure', async () => {
    // Prepare: the package fails to load once.
    let loads = 0;
    const get = lazyClient(async () => {
      loads++;
      if (loads === 1) throw new Error('module not found');
      return { load: loads };
    });
    // Act
    const first = await get().catch((error: unknown) => error);
    const second = await get();
    // Assess
    expect(first).toBeInstanceOf(Error);
    expect(second).toEqual({ load: 2 });
    expect(await get()).toBe(second);
  });
});
