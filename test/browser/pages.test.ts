/**
 * The pages in a real browser (Debian's Chromium through playwright-core), as the README's
 * three people meet them after its worked example: Manager One (C-1001's team manager), LADO
 * One (its LADO, with no role of their own) and EDT Manager One (on the rota). Each page is
 * checked by axe-core with every rule it runs by default — WCAG 2.2 AA and the best practices
 * alike, no violation of any impact — at 1280 and 375 px wide; its visible text carries no
 * internal code and no ISO instant; and the pages work with JavaScript off. Screenshots go to
 * test-results/pages/ (and to docs/images/ with DOCS_SCREENSHOTS=1).
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { launchChromium } from '#test/support/chromium.js';
import { INTERNAL_CODES, ISO_INSTANT } from '#test/web/support.js';
import { ackLinkIn, type ReadmeServer, startReadme } from './readme-scenario.js';

const SHOTS = 'test-results/pages';
const DOCS = process.env.DOCS_SCREENSHOTS === '1' ? 'docs/images' : undefined;
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WIDTHS = [1280, 375] as const;

const MANAGER = 'Manager One (P-0002)';
const LADO = 'LADO One (P-0004)';
const EDT = 'EDT Manager One (P-0005)';
const EDT_PHONE = '+447700900005';

let readme: ReadmeServer;
let browser: BrowserContext;
/** Every check made: "page at width as person" → axe's violations (ids and targets). */
const axeFindings: Record<string, unknown[]> = {};

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (DOCS !== undefined) mkdirSync(DOCS, { recursive: true });
  readme = await startReadme(inject('dynamoEndpoint'), inject('sesEndpoint'));
  // axe needs JavaScript; the pages' strict CSP is bypassed only to inject it.
  browser = await launchChromium({ bypassCSP: true });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await readme?.close();
});

/** axe-core on the page as it is: every rule it runs by default, findings kept by name. */
async function axe(page: Page, name: string): Promise<void> {
  await page.addScriptTag({ content: AXE });
  const result = (await page.evaluate('axe.run(document, { resultTypes: ["violations"] })')) as {
    violations: { id: string; impact: string; nodes: { target: unknown }[] }[];
  };
  axeFindings[name] = result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    targets: v.nodes.map((n) => n.target),
  }));
}

/**
 * The page's words as a reader sees them with every fold (`govuk-details`) opened: the history
 * and "how the due time was worked out" are read too.
 */
const UNFOLDED_TEXT = `(() => {
  const shut = [...document.querySelectorAll('details:not([open])')];
  for (const d of shut) d.open = true;
  const words = document.body.innerText;
  for (const d of shut) d.open = false;
  return words;
})()`;

/** The page at both widths, axe at each; its words checked at the first. */
async function checkPage(page: Page, url: string, name: string): Promise<string> {
  let words = '';
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.goto(url);
    await axe(page, `${name} at ${width} px`);
    if (width === WIDTHS[0]) {
      words = (await page.evaluate(UNFOLDED_TEXT)) as string;
      await page.screenshot({ path: `${SHOTS}/${name.replaceAll(' ', '-')}.png`, fullPage: true });
    }
  }
  await page.setViewportSize({ width: WIDTHS[0], height: 900 });
  expect(words, name).not.toMatch(INTERNAL_CODES);
  expect(words, name).not.toMatch(ISO_INSTANT);
  return words;
}

/** Signs in through the local sign-in page by pressing the person's button. */
async function signIn(page: Page, who: string): Promise<void> {
  await page.goto(`${readme.url}/app/sign-in`);
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.waitForURL(`${readme.url}/app`);
}

/** Every link on the page, in its content and its navigation, opens for the person signed in. */
async function expectEveryLinkOpens(page: Page): Promise<void> {
  const links = await page
    .locator('main a[href], .govuk-service-navigation a[href]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  expect(links.length).toBeGreaterThan(0);
  for (const href of links) expect((await page.request.get(href)).status(), href).toBe(200);
}

/** The navigation's links, in order. */
const navigation = async (page: Page) =>
  (await page.locator('.govuk-service-navigation__list a').allTextContents()).map((t) => t.trim());

describe('the ack link, out of hours on Saturday', () => {
  it('asks, then confirms only what is true of the rota, and links the case', async () => {
    // 04:35 BST: the 50 % alert went at 04:30; nobody is on call at tier 2.
    await readme.moveClock('2030-05-25T03:35:00Z');
    const sms = (await readme.outbox()).find((m) => m.to === EDT_PHONE);
    const link = ackLinkIn(sms?.body ?? '', readme.url);
    const page = await browser.newPage();
    const asked = await checkPage(page, link, 'ack page');
    expect(asked).toContain('If nobody acknowledges it, the duty inbox will be alerted.');
    expect(asked).not.toContain('senior manager');
    expect(await page.getByRole('link', { name: 'Open case C-1001' }).getAttribute('href')).toBe(
      `${readme.url}/app/cases/C-1001`,
    );
    await page.getByRole('button', { name: 'Acknowledge – I am dealing with it' }).click();
    const done = (await page.evaluate('document.body.innerText')) as string;
    await axe(page, 'ack page, done, at 1280 px');
    await page.setViewportSize({ width: 375, height: 900 });
    await axe(page, 'ack page, done, at 375 px');
    await page.screenshot({ path: `${SHOTS}/ack-done.png`, fullPage: true });
    expect(done).toContain('You acknowledged this alert on Saturday 25 May 2030, 04:35 (BST).');
    expect(done).toContain('The duty inbox will not be alerted because of this alert.');
    expect(done).toContain(
      'If the clock is not recorded as met by Saturday 25 May 2030, 16:30 (BST), the EDT manager on call will be alerted that it breached.',
    );
    expect(done).not.toContain('senior manager');
    const again = await checkPage(page, link, 'ack page, already acknowledged');
    expect(again).toContain('This alert was already acknowledged by the EDT manager on call');
    await page.close();
  }, 120_000);
});

describe('the on-call page on Saturday morning', () => {
  it('says who acknowledged each alert to the EDT, and when', async () => {
    await readme.moveClock('2030-05-25T09:35:00Z');
    const page = await browser.newPage();
    await signIn(page, EDT);
    const words = await checkPage(page, `${readme.url}/app/on-call`, 'on call, Saturday, as EDT');
    expect(words).toContain('EDT Manager One is the EDT manager on call.');
    expect(words).toMatch(/Acknowledged/);
    expect(words).toContain('EDT Manager One, Saturday 25 May 2030, 04:35 (BST)');
    await page.close();
  }, 120_000);
});

describe('on Tuesday at 10:00, after the example', () => {
  it('an expired ack link says so, in the layout', async () => {
    await readme.moveClock('2030-05-28T09:00:00Z');
    const sms = (await readme.outbox()).find((m) => m.to === EDT_PHONE);
    const page = await browser.newPage();
    const answer = await page.goto(ackLinkIn(sms?.body ?? '', readme.url));
    expect(answer?.status()).toBe(410);
    const words = await checkPage(
      page,
      ackLinkIn(sms?.body ?? '', readme.url),
      'ack page, expired',
    );
    expect(words).toContain('This link has expired');
    await page.close();
  }, 120_000);

  it('Manager One, the case’s team manager, manages team north: deadlines, case, report', async () => {
    const page = await browser.newPage();
    await signIn(page, MANAGER);
    expect(await navigation(page)).toEqual([
      'Deadlines',
      'On call',
      'People and rota',
      'Compliance report',
    ]);
    const home = await checkPage(page, `${readme.url}/app`, 'dashboard as Manager One');
    expect(home).toContain('Your teams’ deadlines');
    expect(home).toMatch(/Breached and not yet met \(1\)[\s\S]*C-1001/);
    if (DOCS !== undefined)
      await page.screenshot({ path: `${DOCS}/dashboard.png`, fullPage: true });
    const box = await checkPage(page, `${readme.url}/app/cases/C-1001`, 'case as Manager One');
    expect(box).toContain('You are named on this case as the team manager.');
    expect(box).toContain('Breached 2 days ago and not yet met');
    expect(box).toMatch(/With\s+LADO One \(LADO\)/);
    expect(box).toContain('Nobody has acknowledged the alerts sent since.');
    // The folded history was read as well (and held no code and no ISO instant).
    expect(box).toContain('Case opened');
    if (DOCS !== undefined) await page.screenshot({ path: `${DOCS}/case.png`, fullPage: true });
    await checkPage(page, `${readme.url}/app/on-call`, 'on call as Manager One');
    await checkPage(page, `${readme.url}/app/people`, 'people as Manager One');
    const report = await checkPage(
      page,
      `${readme.url}/app/reports/compliance?from=2030-05&to=2030-05`,
      'report as Manager One',
    );
    // One LADO notification of team north fell due in May 2030: breached, none met on time.
    expect(report).toMatch(/LADO notification\tnorth\t2030-05\t1\t0\t0\t1\t0\t0.0%/);
    const refused = await checkPage(
      page,
      `${readme.url}/app/reports/compliance?from=2030-13&to=2030-05`,
      'report with an error as Manager One',
    );
    expect(refused).toContain('There is a problem');
    expect(refused).toContain('From month must be a real month, like 2027-06');
    expect(await page.locator('#from').inputValue()).toBe('2030-13');
    await page.close();
  }, 180_000);

  it('LADO One, named on the case with no role, opens its page and nothing that would refuse them', async () => {
    const page = await browser.newPage();
    await signIn(page, LADO);
    expect(await navigation(page)).toEqual(['Deadlines']);
    const home = await checkPage(page, `${readme.url}/app`, 'dashboard as LADO One');
    expect(home).toContain('Cases you are named on (1)');
    const box = await checkPage(page, `${readme.url}/app/cases/C-1001`, 'case as LADO One');
    expect(box).toContain('You are named on this case as the LADO.');
    const refused = await checkPage(page, `${readme.url}/app/people`, '403 as LADO One');
    expect(refused).toContain('You do not have access to this page');
    // Every link on the refusal opens a page LADO One may see.
    await expectEveryLinkOpens(page);
    await expect(page.getByRole('button', { name: 'Sign out' }).count()).resolves.toBeGreaterThan(
      0,
    );
    await page.close();
  }, 120_000);

  it('EDT Manager One sees the urgent clocks and the case, and is offered no report', async () => {
    const page = await browser.newPage();
    await signIn(page, EDT);
    expect(await navigation(page)).toEqual(['Deadlines', 'On call', 'People and rota']);
    const home = await checkPage(page, `${readme.url}/app`, 'dashboard as EDT Manager One');
    expect(home).toContain('Urgent clocks of every team');
    await checkPage(page, `${readme.url}/app/cases/C-1001`, 'case as EDT Manager One');
    await checkPage(page, `${readme.url}/app/on-call`, 'on call as EDT Manager One');
    const refused = await checkPage(
      page,
      `${readme.url}/app/reports/compliance`,
      '403 as EDT Manager One',
    );
    expect(refused).toContain('The compliance report is for team managers and heads of service.');
    await expectEveryLinkOpens(page);
    await page.close();
  }, 120_000);

  it('the sign-in page', async () => {
    const page = await browser.newPage();
    await checkPage(page, `${readme.url}/app/sign-in`, 'sign-in');
    await page.close();
  }, 60_000);

  it('axe-core would see a violation: a page with an unlabelled image and no language', async () => {
    const page = await browser.newPage();
    await page.setContent('<html><body><main><img src="data:,"></main></body></html>');
    await axe(page, 'a page made to fail');
    expect((axeFindings['a page made to fail'] as { id: string }[]).map((v) => v.id)).toEqual(
      expect.arrayContaining(['image-alt', 'html-has-lang']),
    );
    delete axeFindings['a page made to fail'];
    await page.close();
  });

  it('axe-core finds no violation of any impact on any of them, at either width', () => {
    // 19 pages and states, each at 1280 and 375 px.
    expect(Object.keys(axeFindings)).toHaveLength(38);
    expect(axeFindings).toEqual(Object.fromEntries(Object.keys(axeFindings).map((k) => [k, []])));
  });
});

describe('with JavaScript off', () => {
  let off: BrowserContext;
  afterAll(async () => {
    await off?.close();
  });

  it('works: sign in, follow the navigation, filter the report, open a case, sign out', async () => {
    off = await launchChromium({ javaScriptEnabled: false });
    const page = await off.newPage();
    await page.goto(`${readme.url}/app/sign-in`);
    await page.getByRole('button', { name: `Sign in as ${MANAGER}` }).click();
    await page.waitForURL(`${readme.url}/app`);
    await page.getByRole('link', { name: 'Compliance report' }).click();
    await page.getByLabel('From month').fill('2030-05');
    await page.getByLabel('To month').fill('2030-05');
    await page.getByLabel('Clock', { exact: true }).selectOption('lado-notification');
    await page.getByRole('button', { name: 'Show the report' }).click();
    await expect(page.locator('table tbody tr').count()).resolves.toBe(1);
    expect(page.url()).toContain('rule=lado-notification');
    await page.getByRole('link', { name: 'Deadlines' }).click();
    await page.getByRole('link', { name: 'C-1001' }).first().click();
    await expect(page.locator('h1').textContent()).resolves.toBe('C-1001');
    // The history is folded, and opens without JavaScript.
    await page.getByText('Show the case’s history').click();
    await expect(page.getByText('Case opened').first().isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${readme.url}/app/sign-in`);
  }, 120_000);
});
