/**
 * Server-side rendering with Nunjucks and govuk-frontend's own macros: our templates
 * (`views/`) extend `govuk/template.njk` and call the component macros. Compiled templates
 * are kept for the life of the process.
 */
import nunjucks from 'nunjucks';
import { formatUkLong } from '#domain/reminders/messages.js';
import type { WebResources } from './resources.js';

export type Render = (view: string, context: Record<string, unknown>) => string;

export function makeRenderer(resources: WebResources): Render {
  const env = new nunjucks.Environment(
    new nunjucks.FileSystemLoader([resources.views, resources.govukDist], { noCache: false }),
    { autoescape: true, throwOnUndefined: false },
  );
  /** "Tuesday 8 June 2027, 10:00 (BST)" from an ISO instant. */
  env.addFilter('ukTime', (iso: string | undefined) =>
    iso === undefined || iso === '' ? '' : formatUkLong(new Date(iso)),
  );
  /** A rule id or audit kind made readable: "lado-notification" → "lado notification". */
  env.addFilter('words', (text: string | undefined) => (text ?? '').replaceAll('-', ' '));
  return (view, context) => env.render(view, context);
}
