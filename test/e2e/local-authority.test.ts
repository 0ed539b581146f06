/**
 * Local mode's authority comes from `timescales.config.json`, so editing the file changes what
 * `npm start` runs: its division, hours, closures, rules and reminder plans (links point at the
 * local server).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { localAuthority } from '#bin/local-defaults.js';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import { ConfigError } from '#lib/config.js';

const CONFIG = JSON.parse(readFileSync('timescales.config.json', 'utf8')) as Record<
  string,
  unknown
>;
const BASE = 'http://127.0.0.1:3999';

function file(content: Record<string, unknown>): string {
  const path = join(mkdtempSync(join(tmpdir(), 'timescales-local-')), 'timescales.config.json');
  writeFileSync(path, JSON.stringify(content));
  return path;
}

describe("local mode's authority", () => {
  it('is the repository’s timescales.config.json, with links to the local server', () => {
    // Act
    const authority = localAuthority(BASE, 'timescales.config.json');

    // Assess
    expect(authority).toMatchObject({
      authority: 'Example Borough Council',
      division: 'england-and-wales',
      preset: 'southampton',
      closures: ['2026-12-29', '2026-12-30', '2026-12-31'],
      // Case links and ack links on this server, not the council's.
      links: { caseUrlTemplate: `${BASE}/app/cases/{caseId}`, ackBaseUrl: BASE },
    });
    expect(authority.officeHours?.['5']).toEqual({ open: '09:00', close: '16:30' });
  });

  it('follows an edit of the file: a council’s rules and reminder plans reach the engine', () => {
    // Prepare
    const path = file({
      ...CONFIG,
      division: 'scotland',
      rules: { 'cp-visit': { enabled: true, clock: { unit: 'weeks', amount: 4 } } },
      reminderPlans: { 'cp-visit': { title: 'Statutory visit' } },
    });

    // Act
    const engine = makeCaseEngine(localAuthority(BASE, path));

    // Assess
    expect(engine.calendar.division).toBe('scotland');
    expect(engine.rules.get('cp-visit')?.clock).toEqual({ unit: 'weeks', amount: 4 });
    expect(engine.rules.get('cla-visit')).toBeUndefined();
    expect(engine.plans['cp-visit']?.title).toBe('Statutory visit');
  });

  it('is the built-in example without the file, and refuses a bad file naming the field', () => {
    // Act / Assess
    expect(localAuthority(BASE, '/nonexistent/timescales.config.json')).toEqual({
      authority: 'Example Council (local)',
      division: 'england-and-wales',
      preset: 'southampton',
      links: { caseUrlTemplate: `${BASE}/app/cases/{caseId}`, ackBaseUrl: BASE },
      fallbackContact: { email: 'duty.inbox@example.gov.uk' },
    });
    const bad = file({ ...CONFIG, rules: { 'core-group': { clock: { amount: -4 } } } });
    expect(() => localAuthority(BASE, bad)).toThrow(ConfigError);
    expect(() => localAuthority(BASE, bad)).toThrow(/rule "core-group" clock\.amount/);
  });
});
