/**
 * Where the web Lambda finds its templates and govuk-frontend: beside the bundle in AWS
 * (`web/`, copied there by `scripts/copy-web-resources.mjs` when the function is bundled),
 * else in the repository (local mode, tests).
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
}

export function webResources(): WebResources {
  const here = dirname(fileURLToPath(import.meta.url));
  const bundled = join(here, 'web');
  if (existsSync(join(bundled, 'views')))
    return { views: join(bundled, 'views'), govukDist: join(bundled, 'govuk-frontend', 'dist') };
  const require = createRequire(import.meta.url);
  return {
    views: join(here, 'views'),
    govukDist: join(dirname(require.resolve('govuk-frontend/package.json')), 'dist'),
  };
}
