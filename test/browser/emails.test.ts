/**
 * Every kind of email — reminder, EDT alert, an alert escalated because nobody acknowledged it,
 * breach, the duty inbox's unrouted notice, the morning digest — rendered in Chromium: one
 * column at most 580 px wide, a system sans-serif, the council's and the service's name at the
 * top and in the footer, a blue heading and stripe (red for urgent and breached ones), one link
 * to the case (a link per clock in the digest), inline styles only; a screenshot of each is
 * saved under test-results/emails/ (and docs/images/ with DOCS_SCREENSHOTS=1).
 */
import { mkdirSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderDigest } from '#kernel/reminders/digest-message.js';
import { type MessageInput, renderEmail } from '#kernel/reminders/messages.js';
import { launchChromium } from '#test/support/chromium.js';

const SHOTS = 'test-results/emails';
const DOCS = process.env.DOCS_SCREENSHOTS === '1' ? 'docs/images' : undefined;
const BLUE = 'rgb(29, 112, 184)';
const RED = 'rgb(212, 53, 28)';
const base: MessageInput = {
  caseId: 'C-1001',
  title: 'LADO notification',
  action: 'Notify the LADO of the allegation and record it.',
  dueAt: new Date('2027-06-09T09:00:00Z'),
  moment: 'before',
  urgent: true,
  link: 'https://cases.example.gov.uk/cases/C-1001',
  authority: 'Example Borough Council',
};

const ACK_LINK = 'https://timescales.example.gov.uk/a/made-up-token';

const EMAILS: Record<string, string> = {
  reminder: renderEmail({ ...base, urgent: false, title: 'Joint supervision', moment: 'on-day' })
    .html,
  alert: renderEmail({ ...base, edt: true }).html,
  escalation: renderEmail({
    ...base,
    moment: 'due',
    alert: {
      ackLink: ACK_LINK,
      replyYes: true,
      unacknowledged: {
        role: 'the EDT manager on call',
        since: new Date('2027-06-09T02:00:00Z'),
      },
    },
  }).html,
  breach: renderEmail({ ...base, moment: 'breach', lateMs: 5 * 3_600_000 }).html,
  unrouted: renderEmail({
    ...base,
    gaps: [
      {
        missing: 'Nobody is recorded as the case’s LADO',
        fix: 'Ask the case system to record the case’s LADO',
      },
    ],
  }).html,
  digest: renderDigest(
    [
      {
        caseId: 'C-1001',
        title: 'LADO notification',
        dueAt: new Date('2027-06-09T09:00:00Z'),
        status: { kind: 'breached', lateMs: 3_600_000 },
        alerts: [{ at: new Date('2027-06-09T02:00:00Z'), moment: 'due' }],
        acknowledgement: {
          escalations: [
            { role: 'the senior manager on call', at: new Date('2027-06-09T02:30:00Z') },
          ],
        },
        link: 'https://cases.example.gov.uk/cases/C-1001',
      },
      {
        caseId: 'C-1002',
        title: 'LADO response',
        dueAt: new Date('2027-06-10T16:00:00Z'),
        status: { kind: 'open' },
        alerts: [{ at: new Date('2027-06-09T03:00:00Z'), moment: 'before' }],
        link: 'https://cases.example.gov.uk/cases/C-1002',
      },
      {
        caseId: 'C-1003',
        title: 'LADO notification',
        dueAt: new Date('2027-06-09T07:00:00Z'),
        status: { kind: 'met', at: new Date('2027-06-09T05:00:00Z') },
        alerts: [{ at: new Date('2027-06-09T01:00:00Z'), moment: 'before' }],
        link: 'https://cases.example.gov.uk/cases/C-1003',
      },
    ],
    'north',
    'overnight',
    'Example Borough Council',
  ).html,
};

let browser: BrowserContext;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  if (DOCS !== undefined) mkdirSync(DOCS, { recursive: true });
  browser = await launchChromium({
    javaScriptEnabled: false,
    viewport: { width: 900, height: 900 },
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('emails in the GOV.UK Notify look', () => {
  it.each(Object.keys(EMAILS))(
    '%s: one column, system sans-serif, the council on top and at the foot, blue unless urgent',
    async (kind) => {
      const html = EMAILS[kind] as string;
      expect(html).not.toMatch(/<style|<link|<script|<img/i);
      const page = await browser.newPage();
      await page.setContent(html);
      await page.screenshot({ path: `${SHOTS}/${kind}.png`, fullPage: true });
      if (DOCS !== undefined)
        await page.screenshot({ path: `${DOCS}/email-${kind}.png`, fullPage: true });
      const seen = await page.evaluate(`(() => {
      const h1 = document.querySelector('h1');
      const column = h1.closest('table');
      const lines = document.body.innerText.split('\\n').filter((l) => l.trim() !== '');
      return {
        font: getComputedStyle(h1).fontFamily,
        heading: getComputedStyle(h1).color,
        stripe: getComputedStyle(document.querySelector('table tr:nth-child(2) td')).backgroundColor,
        width: column.getBoundingClientRect().width,
        top: lines[0],
        bottom: lines.at(-1),
        links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
      };
    })()`);
      const { font, heading, stripe, width, top, bottom, links } = seen as {
        font: string;
        heading: string;
        stripe: string;
        width: number;
        top: string;
        bottom: string;
        links: string[];
      };
      // Urgent and breached messages in red; the reminder and the morning digest in blue.
      const colour = kind === 'reminder' || kind === 'digest' ? BLUE : RED;
      expect([heading, stripe]).toEqual([colour, colour]);
      expect(bottom).toMatch(/^Sent by Timescales for Example Borough Council\./);
      expect(font).toMatch(/^Helvetica, Arial, sans-serif$/);
      expect(width).toBeLessThanOrEqual(580);
      expect(top).toBe('Example Borough Council · Timescales');
      if (kind === 'digest')
        expect(links).toEqual([
          'https://cases.example.gov.uk/cases/C-1001',
          'https://cases.example.gov.uk/cases/C-1002',
          'https://cases.example.gov.uk/cases/C-1003',
        ]);
      else if (kind === 'escalation')
        expect(links).toEqual(['https://cases.example.gov.uk/cases/C-1001', ACK_LINK]);
      else expect(links).toEqual(['https://cases.example.gov.uk/cases/C-1001']);
      await page.close();
    },
  );

  it('the digest groups its clocks by status, breached first', () => {
    const html = EMAILS.digest as string;
    const order = ['Breached, not yet met', 'Still open', 'Met on time'].map((t) =>
      html.indexOf(t),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('an escalated alert says, before the facts, who was alerted and has not acknowledged', () => {
    const html = EMAILS.escalation as string;
    // 02:00 UTC on 9 June 2027 is 03:00 in London (BST).
    const said = html.indexOf(
      'Not acknowledged: the EDT manager on call was alerted on Wednesday 9 June 2027, 03:00 (BST).',
    );
    expect(said).toBeGreaterThan(0);
    expect(html.indexOf('03:00')).toBeGreaterThan(said);
    expect(said).toBeLessThan(html.indexOf('>Case<'));
    expect(html).toContain('Acknowledge this alert (say you are on it)');
    expect(html).toContain('or reply YES to the text message.');
  });

  it('the digest says where an unacknowledged clock was escalated', () => {
    // 02:30 UTC is 03:30 in London.
    expect(EMAILS.digest).toContain(
      'The senior manager on call was told on Wednesday 9 June 2027, 03:30 (BST), because nobody had acknowledged. Nobody has acknowledged it.',
    );
  });
});
