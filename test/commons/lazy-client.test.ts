import { describe, expect, it } from 'vitest';
import { lazyClient } from '#commons/lazy-client.js';

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
