/**
 * Where the page-rendering Lambdas (web, alerts) find their templates and govuk-frontend's
 * CSS: beside the bundle in AWS (`web/`, made by `scripts/copy-web-resources.mjs` when the
 * function is bundled: every template compiled to `templates.cjs`), else in the repository
 * (local mode, tests: the `.njk` files, compiled on first use).
 *
 * Templates are looked up in the feature's own `views/` folders first, then in the shared
 * layout here (`views/`: the page layout, its macros, the error page), then in govuk-frontend.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface WebResources {
  /** The template folders, searched in order: the features' own, then the shared layout's. */
  views: string[];
  /** The folder holding `govuk/` of govuk-frontend's `dist` (templates, macros, CSS). */
  govukDist: string;
  /** Every template compiled at bundle time: when present, the `.njk` files are not read. */
  precompiled?: string;
}

/** The shared layout's templates (`functions/platform/pages/views`). */
export const SHARED_VIEWS = fileURLToPath(new URL('./views', import.meta.url));

/**
 * `featureViews`: the calling feature's template folders (its `views/`, from its own
 * `import.meta.url`), searched before the shared layout's.
 */
export function webResources(featureViews: readonly string[]): WebResources {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'web');
  const precompiled = join(bundled, 'templates.cjs');
  if (existsSync(precompiled))
    return {
      views: [],
      govukDist: join(bundled, 'govuk-frontend', 'dist'),
      precompiled,
    };
  const require = createRequire(import.meta.url);
  return {
    views: [...featureViews, SHARED_VIEWS],
    govukDist: join(dirname(require.resolve('govuk-frontend/package.json')), 'dist'),
  };
}
