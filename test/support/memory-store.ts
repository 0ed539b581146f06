/** The in-memory store adapters, for tests and benchmarks (one implementation: the dry run's). */
export * from '#platform/memory/store.js';
