/**
 * The ack link's pages: small, server-rendered, accessible HTML (one `main`, one `h1`, the
 * details as a description list, one labelled button; no script, no external resources).
 * Plain semantic HTML: the GOV.UK Design System web layer is not on main yet; when it is,
 * these pages move into its layout.
 *
 * Every page goes out with headers that keep the token in its path private: no caching, no
 * Referer to anywhere, not indexed, not framed, and a Content-Security-Policy that allows
 * only our one inline style and a form posting back to this same URL.
 */
import { createHash } from 'node:crypto';
import type { HttpResult } from '#commons/http.js';
import { escapeHtml, formatUkLong } from '#domain/reminders/messages.js';
import type { AckOutcome, AlertPage } from '#use-cases/acknowledge-alert.js';

const STYLE =
  'body{font-family:Arial,sans-serif;margin:0 auto;max-width:40rem;padding:1rem;line-height:1.5;color:#0b0c0c;background:#fff}' +
  'h1{font-size:1.75rem}dt{font-weight:700}dd{margin:0 0 .75rem 0}' +
  'button{font-size:1.2rem;padding:.6rem 1.2rem;background:#00703c;color:#fff;border:0;border-bottom:2px solid #002d18;cursor:pointer}' +
  'button:focus{outline:3px solid #fd0;outline-offset:0;background:#fd0;color:#0b0c0c}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

/** The headers of every ack page. */
export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
  'x-robots-tag': 'noindex, nofollow',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
};

function page(status: number, title: string, body: string[]): HttpResult {
  const html = [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    `<title>${escapeHtml(title)} – Timescales</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(title)}</h1>`,
    ...body,
    '</main>',
    '</body>',
    '</html>',
  ].join('\n');
  return { statusCode: status, headers: { ...PAGE_HEADERS }, body: `${html}\n` };
}

function details(rows: [string, string][]): string {
  return [
    '<dl>',
    ...rows.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`),
    '</dl>',
  ].join('\n');
}

function clockRows(view: AlertPage): [string, string][] {
  const { alert } = view;
  const clock = view.stageName === undefined ? view.title : `${view.title} (${view.stageName})`;
  return [
    ['Case', alert.caseId],
    ['Clock', clock],
    ['Due', formatUkLong(alert.dueAt)],
    ['Alert sent', formatUkLong(alert.sentAt)],
    ...view.onCall.map(({ role, name }): [string, string] => [
      `On call: ${role.replace(/^the /, '')}`,
      name,
    ]),
  ];
}

/** GET: the alert and one button. */
export function alertPage(view: AlertPage): HttpResult {
  return page(200, `Acknowledge alert for case ${view.alert.caseId}`, [
    '<p>An urgent clock needs someone on it. Acknowledging tells Timescales you are dealing with it: nobody else is alerted about this clock unless it breaches.</p>',
    details(clockRows(view)),
    '<form method="post">',
    '<button type="submit">Acknowledge – I am dealing with it</button>',
    '</form>',
  ]);
}

/** POST: acknowledged. */
export function acknowledgedPage(view: AlertPage, outcome: AckOutcome): HttpResult {
  return page(200, 'Alert acknowledged', [
    `<p>Acknowledged at ${escapeHtml(formatUkLong(outcome.ack.at))}. The senior manager on call and the duty inbox will not be alerted about this clock unless it breaches.</p>`,
    details(clockRows(view)),
  ]);
}

/** 409: the clock was already acknowledged (this link or another way). */
export function alreadyPage(
  view: AlertPage | undefined,
  ack: { role: string; at: Date },
): HttpResult {
  return page(409, 'Already acknowledged', [
    `<p>This alert was already acknowledged by ${escapeHtml(ack.role)} at ${escapeHtml(formatUkLong(ack.at))}. Nothing has changed.</p>`,
    ...(view === undefined ? [] : [details(clockRows(view))]),
  ]);
}

/** 410: the link has expired. */
export function expiredPage(): HttpResult {
  return page(410, 'This link has expired', [
    '<p>Acknowledgement links work until 24 hours after the clock’s due time. Nothing has changed.</p>',
    '<p>If the clock still needs action, contact the duty inbox or your manager.</p>',
  ]);
}

/** 404: not a link we made. */
export function invalidLinkPage(): HttpResult {
  return page(404, 'This link is not valid', [
    '<p>Check that you opened the whole link from the text message or email. Nothing has changed.</p>',
  ]);
}
