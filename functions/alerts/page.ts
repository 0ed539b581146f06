/**
 * The ack link's pages, in the GOV.UK Design System like the managers' pages (`views/ack.njk`
 * in their layout, with their stylesheet from `/app/assets/`): the alert's case, clock, due
 * time and who is on call as a summary list, and one button. Nobody is signed in: the token in
 * the path is the whole capability, so the page carries no navigation and no session.
 *
 * Every page goes out with headers that keep the token in its path private: no caching, no
 * Referer to anywhere (the stylesheet's request included), not indexed, not framed, and a
 * Content-Security-Policy that allows our own stylesheet, the template's one inline script (by
 * nonce) and a form posting back to this same URL.
 */

import { fileURLToPath } from 'node:url';
import { formatUkLong } from '#kernel/reminders/messages.js';
import type { HttpResult } from '#platform/http.js';
import { lazy } from '#platform/lazy.js';
import { loadAssets } from '#platform/pages/assets.js';
import { newNonce, pageHeaders } from '#platform/pages/http.js';
import { makeRenderer } from '#platform/pages/render.js';
import { webResources } from '#platform/pages/resources.js';
import type { AckOutcome, AlertPage } from './acknowledge-alert.js';

/** The renderer and the stylesheet's name, made once per process (the templates compile once). */
const site = lazy(() => {
  const resources = webResources([fileURLToPath(new URL('./views', import.meta.url))]);
  return {
    render: makeRenderer(resources),
    stylesheet: loadAssets(resources.govukDist).stylesheet,
  };
});

/** The headers of every ack page, for a page whose inline script carries `nonce`. */
function ackPageHeaders(nonce: string): Record<string, string> {
  return {
    ...pageHeaders(nonce, []),
    'referrer-policy': 'no-referrer',
    'x-robots-tag': 'noindex, nofollow',
  };
}

/** The ack pages of one authority (its name heads each page). */
export interface AckPages {
  alert(view: AlertPage): HttpResult;
  acknowledged(view: AlertPage, outcome: AckOutcome): HttpResult;
  already(view: AlertPage | undefined, ack: { role: string; at: Date }): HttpResult;
  expired(): HttpResult;
  invalidLink(): HttpResult;
}

interface Content {
  lead: string[];
  rows?: [string, string][];
  button?: string;
}

export function makeAckPages(authority = 'Timescales'): AckPages {
  const page = (status: number, title: string, content: Content): HttpResult => {
    const { render, stylesheet } = site();
    const nonce = newNonce();
    const html = render('ack.njk', {
      title,
      authority,
      stylesheet,
      cspNonce: nonce,
      lead: content.lead,
      rows: content.rows ?? [],
      button: content.button,
    });
    return { statusCode: status, headers: ackPageHeaders(nonce), body: html };
  };
  return {
    alert: (view) =>
      page(200, `Acknowledge alert for case ${view.alert.caseId}`, {
        lead: [
          'An urgent clock needs someone on it. Acknowledging tells Timescales you are dealing with it: nobody else is alerted about this clock unless it breaches.',
        ],
        rows: clockRows(view),
        button: 'Acknowledge – I am dealing with it',
      }),
    acknowledged: (view, outcome) =>
      page(200, 'Alert acknowledged', {
        lead: [
          `Acknowledged at ${formatUkLong(outcome.ack.at)}. The senior manager on call and the duty inbox will not be alerted about this clock unless it breaches.`,
        ],
        rows: clockRows(view),
      }),
    already: (view, ack) =>
      page(409, 'Already acknowledged', {
        lead: [
          `This alert was already acknowledged by ${ack.role} at ${formatUkLong(ack.at)}. Nothing has changed.`,
        ],
        ...(view === undefined ? {} : { rows: clockRows(view) }),
      }),
    expired: () =>
      page(410, 'This link has expired', {
        lead: [
          'Acknowledgement links work until 24 hours after the clock’s due time. Nothing has changed.',
          'If the clock still needs action, contact the duty inbox or your manager.',
        ],
      }),
    invalidLink: () =>
      page(404, 'This link is not valid', {
        lead: [
          'Check that you opened the whole link from the text message or email. Nothing has changed.',
        ],
      }),
  };
}

function clockRows(view: AlertPage): [string, string][] {
  const { alert } = view;
  const clock = view.stageName === undefined ? view.title : `${view.title} (${view.stageName})`;
  return [
    ['Case', alert.caseId],
    ['Clock', clock],
    ['Due', formatUkLong(alert.dueAt)],
    ['Alert sent', formatUkLong(alert.sentAt)],
    // "the senior manager on call" → "Senior manager on call": the role already says on call.
    ...view.onCall.map(({ role, name }): [string, string] => [
      capitalised(role.replace(/^the /, '')),
      name,
    ]),
  ];
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
