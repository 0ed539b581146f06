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
import { capitalised, formatUkLong, tierLabel } from '#kernel/glossary.js';
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
  /** A bulleted list after the lead: what happens next. */
  list?: string[];
  rows?: [string, string][];
  button?: string;
  /** The case's page, linked after the facts. */
  caseLink?: { href: string; text: string } | undefined;
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
      list: content.list ?? [],
      rows: content.rows ?? [],
      button: content.button,
      caseLink: content.caseLink,
    });
    return { statusCode: status, headers: ackPageHeaders(nonce), body: html };
  };
  return {
    alert: (view) =>
      page(200, `Acknowledge alert for case ${view.alert.caseId}`, {
        lead: [
          'An urgent clock needs someone on it. Acknowledge the alert to say you are dealing with it.',
          ...whatAcknowledgingStops(view),
        ],
        rows: clockRows(view),
        caseLink: caseLinkOf(view),
        button: 'Acknowledge – I am dealing with it',
      }),
    acknowledged: (view, outcome) =>
      page(200, 'Alert acknowledged', {
        lead: [`You acknowledged this alert on ${formatUkLong(outcome.ack.at)}.`],
        list: whatHappensNow(view),
        rows: clockRows(view),
        caseLink: caseLinkOf(view),
      }),
    already: (view, ack) =>
      page(409, 'Already acknowledged', {
        lead: [
          `This alert was already acknowledged by ${ack.role} on ${formatUkLong(ack.at)}. Nothing has changed.`,
        ],
        ...(view === undefined ? {} : { rows: clockRows(view), caseLink: caseLinkOf(view) }),
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

function caseLinkOf(view: AlertPage): Content['caseLink'] {
  return view.caseLink === undefined
    ? undefined
    : { href: view.caseLink, text: `Open case ${view.alert.caseId}` };
}

/**
 * Who would hear of the alert next if nobody acknowledged it, from the rota now and what has
 * been sent already: the senior manager on call (then the duty inbox), or the duty inbox
 * alone; nobody once the duty inbox has been told (or when there is none).
 */
function stillToTell(view: AlertPage): string[] {
  const told = new Set(view.escalated.map((e) => e.tier));
  if (told.has('fallback')) return [];
  const inbox = view.dutyInbox ? ['the duty inbox'] : [];
  const senior = view.onCall.find((o) => o.tier === 2);
  if (told.has(2) || senior === undefined) return inbox;
  return [`the senior manager on call (${senior.name})`, ...inbox];
}

/** Who has been told already because nobody acknowledged: "The duty inbox was told on …". */
function alreadyTold(view: AlertPage): string[] {
  return view.escalated.map(
    (e) =>
      `${capitalised(tierLabel(e.tier))} was told on ${formatUkLong(e.at)}, because nobody had acknowledged.`,
  );
}

/** The alert page's promise, true to the rota now: whom acknowledging keeps from being alerted. */
function whatAcknowledgingStops(view: AlertPage): string[] {
  const next = stillToTell(view);
  return [
    ...alreadyTold(view),
    ...(next.length === 0
      ? []
      : [`If nobody acknowledges it, ${next.join(' and then ')} will be alerted.`]),
  ];
}

/** What follows an acknowledgement, and only what is true of this clock and rota. */
function whatHappensNow(view: AlertPage): string[] {
  const next = stillToTell(view);
  const breachNext = view.alert.phase === 'open' && view.clockOpen;
  return [
    next.length === 0
      ? 'Nobody else will be alerted because of this alert.'
      : `${capitalised(next.join(' and '))} will not be alerted because of this alert.`,
    ...alreadyTold(view),
    ...(breachNext
      ? [
          `If the clock is not recorded as met by ${formatUkLong(view.alert.dueAt)}, the EDT manager on call will be alerted that it breached.`,
        ]
      : []),
    'The day team’s manager will see your acknowledgement in the morning summary.',
  ];
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
