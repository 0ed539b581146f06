import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OUTPUT, renderTables } from '#scripts/generate-holidays.js';

describe('generated holiday tables', () => {
  it('are what `npm run gen:holidays` would write from the installed date-holidays', () => {
    // Prepare
    const committed = readFileSync(OUTPUT, 'utf8');

    // Act
    const fresh = renderTables();

    // Assess
    expect(committed, 'stale: run npm run gen:holidays').toBe(fresh);
  });
});
