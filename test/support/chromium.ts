/**
 * Debian's Chromium for the browser tests, driven by playwright-core (which downloads no
 * browser of its own). Installed by the test setup when missing (`apt-get`, as root), and by
 * `.ci/run`. The flags keep it from reaching for the network, which this machine does not
 * have and on which an unflagged Chromium hangs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium when it is missing (needs root); a no-op when it is there. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0)
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium)`);
  execFileSync('sh', ['-c', 'apt-get update -qq && apt-get install -y -qq chromium'], {
    stdio: 'ignore',
    timeout: 600_000,
  });
}

export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * A fresh headless Chromium with its own new profile folder (Playwright passes it as
 * `--user-data-dir`), as one browser context; close it when done.
 */
export async function launchChromium(options: BrowserContextOptions = {}): Promise<BrowserContext> {
  ensureChromium();
  const profile = mkdtempSync(join(tmpdir(), 'timescales-chromium-'));
  return chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    args: CHROMIUM_FLAGS,
    timeout: 60_000,
    viewport: { width: 1280, height: 900 },
    ...options,
  });
}
