/**
 * The managers' pages in a real browser (Debian's Chromium through playwright-core): each
 * renders with the seeded authority and works with JavaScript off (sign-in, navigation, the
 * report's filter form and sign-out are plain links and forms), axe-core finds no WCAG 2.2 AA
 * violation on any, and a screenshot of each is saved under test-results/pages/.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.js';
import { type Scenario, startScenario } from '#test/web/support.js';

const SHOTS = 'test-results/pages';
const WCAG_22_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Every page, as the head of service sees it (every team). */
const PAGES = [
  ['home', '/app'],
  ['case', '/app/cases/C-5001'],
  ['on-call', '/app/on-call'],
  ['people', '/app/people'],
  ['compliance', '/app/reports/compliance?from=2027-06&to=2027-06'],
] as const;

let scenario: Scenario;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  scenario = await startScenario(inject('dynamoEndpoint'), inject('sesEndpoint'));
}, 180_000);

afterAll(async () => {
  await scenario?.close();
});

/** Signs in through the local sign-in page by pressing the person's button. */
async function signIn(page: Page, name: string): Promise<void> {
  await page.goto(`${scenario.url}/app/sign-in`);
  await page.getByRole('button', { name: `Sign in as ${name}` }).click();
  await page.waitForURL(`${scenario.url}/app`);
}

describe('the pages in Chromium', () => {
  let browser: BrowserContext;
  afterAll(async () => {
    await browser?.close();
  });

  it('work with JavaScript off: sign in, follow the navigation, filter the report, sign out', async () => {
    browser = await launchChromium({ javaScriptEnabled: false });
    const page = await browser.newPage();
    await page.goto(`${scenario.url}/app/sign-in`);
    await page.screenshot({ path: `${SHOTS}/sign-in.png`, fullPage: true });
    await signIn(page, 'Head One (P-0001)');
    for (const [name, path] of PAGES) {
      const answer = await page.goto(`${scenario.url}${path}`);
      expect(answer?.status(), path).toBe(200);
      await expect(page.locator('h1').first().textContent()).resolves.toBeTruthy();
      await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
    }
    // Navigation is links; the report's filters are a GET form.
    await page.goto(`${scenario.url}/app`);
    await page.getByRole('link', { name: 'Compliance report' }).click();
    await page.getByLabel('From month').fill('2027-06');
    await page.getByLabel('To month').fill('2027-06');
    await page.getByLabel('Rule').selectOption('lado-notification');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await expect(page.locator('table tbody tr').count()).resolves.toBeGreaterThan(0);
    expect(page.url()).toContain('rule=lado-notification');
    // A case is one click from the list.
    await page.goto(`${scenario.url}/app`);
    await page.locator('#breached ~ table a', { hasText: 'C-5001' }).first().click();
    await expect(page.locator('h1').textContent()).resolves.toBe('C-5001');
    // Sign out is a form with its CSRF token.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${scenario.url}/app/sign-in`);
  }, 120_000);
});

describe('accessibility', () => {
  let browser: BrowserContext;
  afterAll(async () => {
    await browser?.close();
  });

  it('axe-core finds no WCAG 2.2 AA violation on any page', async () => {
    // axe needs JavaScript; the pages' strict CSP is bypassed only to inject it.
    browser = await launchChromium({ bypassCSP: true });
    const page = await browser.newPage();
    const violations: Record<string, unknown[]> = {};
    const check = async (name: string) => {
      await page.addScriptTag({ content: AXE });
      const result = (await page.evaluate(
        `axe.run(document, { runOnly: { type: 'tag', values: ${JSON.stringify(WCAG_22_AA)} } })`,
      )) as { violations: { id: string; nodes: { target: unknown }[] }[] };
      violations[name] = result.violations.map((v) => ({
        id: v.id,
        targets: v.nodes.map((n) => n.target),
      }));
    };
    await page.goto(`${scenario.url}/app/sign-in`);
    await check('sign-in');
    await signIn(page, 'Head One (P-0001)');
    for (const [name, path] of PAGES) {
      await page.goto(`${scenario.url}${path}`);
      await check(name);
    }
    await page.goto(`${scenario.url}/app/reports/compliance?from=2027-13`);
    await check('error');
    expect(violations).toEqual(
      Object.fromEntries(['sign-in', ...PAGES.map(([n]) => n), 'error'].map((n) => [n, []])),
    );
  }, 120_000);
});
