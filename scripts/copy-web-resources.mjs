#!/usr/bin/env node
/**
 * Puts what the page-rendering Lambdas (web, alerts) read at run time beside their bundle:
 * every page template — ours and govuk-frontend's — compiled to one JavaScript module
 * (`web/templates.cjs`, so the bundle carries Nunjucks' runtime only), and govuk-frontend's
 * compiled CSS (no fonts or images: the GDS Transport font and the crown are for GOV.UK
 * services only, see functions/web/assets.ts).
 *
 *   node scripts/copy-web-resources.mjs <bundle folder>
 *
 * Run by those functions' bundling (lib/bundling.ts, NodejsFunction's afterBundling hook).
 */
import { cpSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePrecompiled } from './precompile-templates.mjs';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: node scripts/copy-web-resources.mjs <bundle folder>');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const target = join(out, 'web');

mkdirSync(join(target, 'govuk-frontend', 'dist', 'govuk'), { recursive: true });
cpSync(
  join(dist, 'govuk', 'govuk-frontend.min.css'),
  join(target, 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.css'),
);
// The same search paths, in the same order, as the renderer's file-system loader.
const count = writePrecompiled(
  [
    join(root, 'functions', 'web', 'views'),
    join(root, 'functions', 'alerts', 'views'),
    join(root, 'functions', 'platform', 'pages', 'views'),
    dist,
  ],
  join(target, 'templates.cjs'),
);
console.log(`compiled ${count} templates and copied govuk-frontend's CSS to ${target}`);
