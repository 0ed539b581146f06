/**
 * Where the page-rendering Lambdas (web, alerts) find their templates and govuk-frontend's
 * CSS: beside the bundle in AWS (`web/`, made by `scripts/copy-web-resources.mjs` when the
 * function is bundled: the templates compiled to `templates.cjs`), else in the repository
 * (local mode, tests: the `.njk` files, compiled on first use).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebResources {
  /** Our page templates (`functions/web/views`). */
  views: string;
  /** The folder holding `govuk/` of govuk-frontend's `dist` (templates, macros, CSS). */
  govukDist: string;
  /** Every template compiled at bundle time: when present, the `.njk` files are not read. */
  precompiled?: string;
}

export function webResources(): WebResources {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'web');
  const precompiled = join(bundled, 'templates.cjs');
  if (existsSync(precompiled))
    return {
      views: join(bundled, 'views'),
      govukDist: join(bundled, 'govuk-frontend', 'dist'),
      precompiled,
    };
  const require = createRequire(import.meta.url);
  return {
    views: join(here, 'views'),
    govukDist: join(dirname(require.resolve('govuk-frontend/package.json')), 'dist'),
  };
}
