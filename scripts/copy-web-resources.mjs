#!/usr/bin/env node
/**
 * Copies what the web Lambda reads at run time beside its bundle: our page templates and
 * govuk-frontend's Nunjucks templates and compiled CSS (no fonts or images: the GDS Transport
 * font and the crown are for GOV.UK services only, see functions/web/assets.ts).
 *
 *   node scripts/copy-web-resources.mjs <bundle folder>
 *
 * Run by the web function's bundling (lib/bundling.ts, NodejsFunction's afterBundling hook).
 */
import { cpSync, mkdirSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const out = process.argv[2];
if (out === undefined) {
  console.error('usage: node scripts/copy-web-resources.mjs <bundle folder>');
  process.exit(2);
}
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const dist = join(dirname(require.resolve('govuk-frontend/package.json')), 'dist');
const target = join(out, 'web');

cpSync(join(root, 'functions', 'web', 'views'), join(target, 'views'), { recursive: true });

/** Every `.njk` under govuk/ (the page template, the macros, each component's two files). */
function templates(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return templates(path);
    return entry.name.endsWith('.njk') ? [path] : [];
  });
}
const files = [...templates(join(dist, 'govuk')), join(dist, 'govuk', 'govuk-frontend.min.css')];
for (const file of files) {
  const to = join(target, 'govuk-frontend', 'dist', relative(dist, file));
  mkdirSync(dirname(to), { recursive: true });
  cpSync(file, to);
}
console.log(`copied the web templates and ${files.length} govuk-frontend files to ${target}`);
