/**
 * A case store seen through another `loadCase` (the reminders read the bank-holiday feed's
 * freshness and the directory stamp with every case); every other member passes through,
 * bound to the store.
 */
export function withLoadCase<T extends { loadCase(caseId: string): Promise<unknown> }>(
  store: T,
  loadCase: T['loadCase'],
): T {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'loadCase') return loadCase;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}
