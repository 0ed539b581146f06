/**
 * The HTML of every email, in the plain look UK public-sector staff know from GOV.UK Notify:
 * one readable column (580 px at most), a system sans-serif, 19 px text, the council's and
 * the service's name in a bar at the top, the facts as label–value rows, what to do first,
 * one link to the case, and a small footer. Layout by tables and inline styles only — what
 * mail clients (Outlook included) keep; no images, no web fonts, no scripts. Pure: text in,
 * escaped HTML out; the plain-text part is written separately (`messages.ts`).
 */

const FONT = 'font-family: Helvetica, Arial, sans-serif;';
const TEXT = `${FONT} font-size: 19px; line-height: 1.315789; color: #0b0c0c;`;
const SMALL = `${FONT} font-size: 16px; line-height: 1.25; color: #505a5f;`;
const LINK = 'color: #1d70b8; text-decoration: underline;';

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

/** A table of clocks, in groups (the digest: one group per status). */
export interface EmailTable {
  caption: string;
  head: readonly string[];
  groups: readonly { title: string; rows: readonly (readonly EmailCell[])[] }[];
}

/** A table cell: text, or a link (the digest links each clock's case). */
export type EmailCell = string | { href: string; text: string };

export interface EmailLayout {
  /** The council, shown first in the top bar. */
  authority?: string | undefined;
  /** The service's name beside it. @default 'Timescales' */
  service?: string;
  heading: string;
  /**
   * A red strip under the bar and a red heading: urgent and breached messages. Others have
   * both in blue, as GOV.UK Notify's emails do.
   */
  urgent?: boolean;
  /** Paragraphs before the facts (e.g. why the duty inbox got this). */
  lead?: readonly string[];
  /** A bulleted list after the lead (e.g. what was missing and what would fix it). */
  list?: readonly string[];
  /** Label and value rows: case, clock, due time. */
  facts?: readonly (readonly [string, string])[];
  /** What to do first, set apart as inset text. */
  firstStep?: string;
  table?: EmailTable;
  /** The one link, to the case (or the managers' page). */
  link?: { href: string; text: string };
  /** Further links after the case's, each with the words that follow it (an alert's ack link). */
  actions?: readonly { href: string; text: string; trailing?: string }[];
  /** Paragraphs after the links. */
  after?: readonly string[];
  footer: string;
}

const p = (text: string, style = TEXT) =>
  `<p style="${style} margin: 0 0 20px 0;">${escapeHtml(text)}</p>`;

function facts(rows: readonly (readonly [string, string])[]): string {
  return [
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse; margin: 0 0 20px 0;">`,
    ...rows.map(
      ([label, value]) =>
        `<tr><th scope="row" align="left" valign="top" style="${TEXT} font-weight: 700; padding: 10px 20px 10px 0; border-bottom: 1px solid #b1b4b6; width: 35%;">${escapeHtml(label)}</th>` +
        `<td valign="top" style="${TEXT} padding: 10px 0; border-bottom: 1px solid #b1b4b6;">${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
  ].join('\n');
}

function table(t: EmailTable): string {
  const cell = `${FONT} font-size: 16px; line-height: 1.25; color: #0b0c0c; padding: 8px 10px 8px 0; border-bottom: 1px solid #b1b4b6; text-align: left; vertical-align: top;`;
  return [
    `<table width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse; margin: 0 0 20px 0;">`,
    `<caption style="${TEXT} font-weight: 700; text-align: left; padding: 0 0 10px 0;">${escapeHtml(t.caption)}</caption>`,
    `<thead><tr>${t.head.map((h) => `<th scope="col" style="${cell} font-weight: 700;">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    '<tbody>',
    ...t.groups.flatMap((g) => [
      `<tr><th scope="rowgroup" colspan="${t.head.length}" style="${cell} font-size: 19px; font-weight: 700; padding-top: 20px;">${escapeHtml(g.title)}</th></tr>`,
      ...g.rows.map(
        (r) =>
          `<tr>${r
            .map(
              (c) =>
                `<td style="${cell}${typeof c === 'string' ? '' : ' white-space: nowrap;'}">${
                  typeof c === 'string'
                    ? escapeHtml(c)
                    : `<a href="${escapeHtml(c.href)}" style="${LINK}">${escapeHtml(c.text)}</a>`
                }</td>`,
            )
            .join('')}</tr>`,
      ),
    ]),
    '</tbody>',
    '</table>',
  ].join('\n');
}

/** A whole email's HTML. */
export function emailHtml(layout: EmailLayout): string {
  const service = layout.service ?? 'Timescales';
  const accent = layout.urgent ? '#d4351c' : '#1d70b8';
  return [
    '<!doctype html>',
    '<html lang="en-GB">',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="x-apple-disable-message-reformatting">',
    `<title>${escapeHtml(layout.heading)}</title></head>`,
    `<body style="margin: 0; padding: 0; background-color: #ffffff; ${TEXT}">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse; min-width: 100%;">`,
    `<tr><td style="background-color: #0b0c0c; padding: 0;">`,
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" align="center" style="border-collapse: collapse; max-width: 580px;">`,
    `<tr><td style="padding: 16px 10px; ${FONT} font-size: 24px; line-height: 1.25; font-weight: 700; color: #ffffff;">${
      layout.authority === undefined
        ? escapeHtml(service)
        : `${escapeHtml(layout.authority)}<span style="font-weight: 400; color: #ffffff;"> &middot; ${escapeHtml(service)}</span>`
    }</td></tr>`,
    '</table></td></tr>',
    `<tr><td style="background-color: ${accent}; height: 10px; font-size: 1px; line-height: 1px;">&nbsp;</td></tr>`,
    '</table>',
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" align="center" style="border-collapse: collapse; max-width: 580px;">`,
    '<tr><td style="padding: 30px 10px 10px 10px;">',
    `<h1 style="${FONT} font-size: 27px; line-height: 1.111111; font-weight: 700; margin: 0 0 25px 0; color: ${accent};">${escapeHtml(layout.heading)}</h1>`,
    ...(layout.lead ?? []).map((t) => p(t)),
    ...(layout.list === undefined || layout.list.length === 0
      ? []
      : [
          `<ul style="${TEXT} margin: 0 0 20px 0; padding-left: 20px;">`,
          ...layout.list.map((item) => `<li style="margin: 0 0 5px 0;">${escapeHtml(item)}</li>`),
          '</ul>',
        ]),
    ...(layout.facts === undefined ? [] : [facts(layout.facts)]),
    ...(layout.firstStep === undefined
      ? []
      : [
          `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse: collapse; margin: 0 0 20px 0;"><tr>`,
          `<td style="border-left: 10px solid #b1b4b6; padding: 15px 0 15px 15px; ${TEXT}"><strong>What to do first:</strong> ${escapeHtml(layout.firstStep)}</td>`,
          '</tr></table>',
        ]),
    ...(layout.table === undefined ? [] : [table(layout.table)]),
    ...(layout.link === undefined
      ? []
      : [
          `<p style="${TEXT} margin: 0 0 20px 0;"><a href="${escapeHtml(layout.link.href)}" style="${LINK} font-weight: 700;">${escapeHtml(layout.link.text)}</a></p>`,
        ]),
    ...(layout.actions ?? []).map(
      (a) =>
        `<p style="${TEXT} margin: 0 0 20px 0;"><a href="${escapeHtml(a.href)}" style="${LINK} font-weight: 700;">${escapeHtml(a.text)}</a>${a.trailing === undefined ? '' : escapeHtml(a.trailing)}</p>`,
    ),
    ...(layout.after ?? []).map((t) => p(t)),
    `<hr style="border: 0; border-top: 1px solid #b1b4b6; margin: 30px 0 15px 0;">`,
    p(layout.footer, SMALL),
    '</td></tr></table>',
    '</body></html>',
  ].join('\n');
}
