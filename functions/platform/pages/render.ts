/**
 * Server-side rendering with Nunjucks and govuk-frontend's own macros: our templates
 * (`views/`) extend `govuk/template.njk` and call the component macros. Compiled templates
 * are kept for the life of the process.
 *
 * In a Lambda the templates were compiled at bundle time (`resources.precompiled`), so the
 * bundle carries only Nunjucks' runtime (its slim build, ~37 KB against ~87 KB with the
 * lexer, parser and compiler). Local mode and tests compile the `.njk` files on first use
 * with the whole of Nunjucks, loaded from node_modules — never part of a bundle.
 */
import { createRequire } from 'node:module';
import { posix } from 'node:path';
import type Nunjucks from 'nunjucks';
import runtime from 'nunjucks/browser/nunjucks-slim.js';
import { formatUkLong } from '#kernel/reminders/messages.js';
import { webPathFor } from '#schemas/web.js';
import type { WebResources } from './resources.js';

export type Render = (view: string, context: Record<string, unknown>) => string;

export function makeRenderer(resources: WebResources): Render {
  const load = createRequire(import.meta.url);
  const options = { autoescape: true, throwOnUndefined: false };
  let env: Nunjucks.Environment;
  if (resources.precompiled === undefined) {
    const nunjucks = load('nunjucks') as typeof Nunjucks;
    env = new nunjucks.Environment(
      new nunjucks.FileSystemLoader([...resources.views, resources.govukDist], { noCache: false }),
      options,
    );
  } else {
    const compiled = load(resources.precompiled) as Record<string, unknown>;
    const loader = new runtime.PrecompiledLoader(compiled as never);
    // govuk-frontend's macros import by relative name ("../../macros/…"), which the runtime
    // build cannot resolve by itself: resolve it against the importing template's name.
    loader.resolve = (from: string, to: string) => posix.join(posix.dirname(from), to);
    env = new runtime.Environment(loader, options);
  }
  /** "Tuesday 8 June 2027, 10:00 (BST)" from an ISO instant. */
  env.addFilter('ukTime', (iso: string | undefined) =>
    iso === undefined || iso === '' ? '' : formatUkLong(new Date(iso)),
  );
  /** A rule id or audit kind made readable: "lado-notification" → "lado notification". */
  env.addFilter('words', (text: string | undefined) => (text ?? '').replaceAll('-', ' '));
  /** A page's path by its route's name (`schemas/web.ts`): `path('case', { caseId: id })`. */
  env.addGlobal('path', webPathFor);
  return (view, context) => env.render(view, context);
}
