/**
 * docs/events.md: every event type the API accepts has a section, and every example body in it
 * is an event the API accepts (so the catalogue cannot drift from `schemas/events.ts`).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPES, EventEnvelope } from '#schemas/events.js';

const doc = readFileSync(new URL('../../docs/events.md', import.meta.url), 'utf8');
const examples = [...doc.matchAll(/```json\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  // A block holds one body, or one body a line.
  .flatMap((block) =>
    block
      .trim()
      .split('\n')
      .every((l) => l.startsWith('{') && l.endsWith('}'))
      ? block.trim().split('\n')
      : [block],
  )
  .map((text) => JSON.parse(text) as { type: string });

describe('the event catalogue', () => {
  it.each([...EVENT_TYPES])('documents %s with an example body', (type) => {
    expect(doc).toContain(`\`${type}\``);
    expect(examples.some((e) => e.type === type)).toBe(true);
  });

  it('has only examples the API accepts', () => {
    for (const example of examples) {
      const parsed = EventEnvelope.safeParse(example);
      expect(parsed.success, JSON.stringify(example)).toBe(true);
    }
  });
});
