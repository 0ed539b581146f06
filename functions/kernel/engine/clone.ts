/**
 * A deep copy of plain data — objects, arrays, Dates and primitives, which is all a case
 * aggregate holds. The engine copies the aggregate on every event; `structuredClone` did the
 * same through V8's serialiser at several times the cost (a test checks the two agree).
 */
export function clonePlain<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(clonePlain) as T;
  const source = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    // An own "__proto__" (JSON.parse makes one) must stay data, not become the prototype.
    if (key === '__proto__')
      Object.defineProperty(copy, key, {
        value: clonePlain(source[key]),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else copy[key] = clonePlain(source[key]);
  }
  return copy as T;
}
