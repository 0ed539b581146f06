/**
 * An email's body in GOV.UK Notify's markdown, from the same parts its HTML is made from
 * (`EmailLayout`): Notify lays every email out itself (its own header, the council's
 * branding, one readable column), so the look is kept within what its markdown offers — a
 * heading, paragraphs, bullet lists, inset text for what to do first, links, a horizontal
 * line before the footer. Notify has no tables: a table's groups become subheadings over
 * bulleted rows. The wording is the message's own; nothing is reworded here.
 */
import type { EmailCell, EmailLayout } from '#kernel/reminders/email-layout.js';

/** The body for the generic template's `((body))`. */
export function notifyMarkdown(layout: EmailLayout, invitation?: string): string {
  const blocks: string[] = [`# ${inline(layout.heading)}`];
  for (const text of layout.lead ?? []) blocks.push(paragraph(text));
  if (layout.list !== undefined && layout.list.length > 0)
    blocks.push(layout.list.map((item) => `* ${inline(item)}`).join('\n'));
  if (layout.facts !== undefined && layout.facts.length > 0)
    blocks.push(
      layout.facts.map(([label, value]) => `${inline(label)}: ${inline(value)}`).join('\n'),
    );
  if (layout.firstStep !== undefined)
    blocks.push(`^ What to do first: ${inline(layout.firstStep)}`);
  if (layout.table !== undefined) {
    blocks.push(paragraph(layout.table.caption));
    for (const group of layout.table.groups) {
      blocks.push(`## ${inline(group.title)}`);
      blocks.push(group.rows.map((row) => `* ${row.map(cell).join(' – ')}`).join('\n'));
    }
  }
  if (layout.link !== undefined) blocks.push(link(layout.link));
  for (const action of layout.actions ?? [])
    blocks.push(`${link(action)}${action.trailing === undefined ? '' : inline(action.trailing)}`);
  // Notify cannot attach a calendar file: the invitation is a link to the one the API serves.
  if (invitation !== undefined) blocks.push(`[Add it to your calendar (.ics file)](${invitation})`);
  for (const text of layout.after ?? []) blocks.push(paragraph(text));
  blocks.push('---', paragraph(layout.footer));
  return blocks.join('\n\n');
}

function cell(c: EmailCell): string {
  return typeof c === 'string' ? inline(c) : link(c);
}

function link(l: { href: string; text: string }): string {
  return `[${inline(l.text).replace(/[[\]]/g, '')}](${l.href.replace(/[()\s]/g, encodeURIComponent)})`;
}

/** A paragraph that cannot be taken for markup: a leading marker is escaped. */
function paragraph(text: string): string {
  return inline(text)
    .replace(/^([#*^>-])/, '\\$1')
    .replace(/^(\d+)\./, '$1\\.');
}

/** Text on one line: line breaks would start new blocks. */
function inline(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
