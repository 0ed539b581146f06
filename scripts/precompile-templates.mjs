/**
 * Compiles every page template — ours (each page feature's `views/` and the shared
 * layout's, functions/platform/pages/views) and govuk-frontend's (its page
 * template, macros and components) — to JavaScript, once, at bundle time: the Lambdas then
 * render with Nunjucks' runtime only (its lexer, parser and compiler stay out of the bundle).
 *
 * The output is a CommonJS module: `{ "<template name>": { root, … } }`, each the object
 * Nunjucks' own precompiler makes, named as the file-system loader would name it (relative to
 * its search path), for `PrecompiledLoader`; minified.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative, sep } from 'node:path';
import { transformSync } from 'esbuild';

const require = createRequire(import.meta.url);
const nunjucks = require('nunjucks');

function njkFiles(folder) {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return njkFiles(path);
    return entry.name.endsWith('.njk') ? [path] : [];
  });
}

/**
 * The module's source (and its number of templates) for the templates under `searchPaths` (the first path wins a name, as
 * the file-system loader's order does).
 */
export function precompiledSource(searchPaths) {
  const seen = new Set();
  const entries = [];
  for (const root of searchPaths) {
    for (const file of njkFiles(root)) {
      const name = relative(root, file).split(sep).join('/');
      if (seen.has(name)) continue;
      seen.add(name);
      const code = nunjucks.compiler.compile(readFileSync(file, 'utf8'), [], [], name, {});
      entries.push(`${JSON.stringify(name)}: (function () {\n${code}\n})()`);
    }
  }
  // Minified as the bundles are: the compiled macros are ~500 KB as Nunjucks writes them.
  const { code } = transformSync(`module.exports = {\n${entries.join(',\n')}\n};\n`, {
    format: 'cjs',
    minify: true,
    target: 'node22',
  });
  return { source: code, count: entries.length };
}

/** Writes the module to `file`; returns how many templates it holds. */
export function writePrecompiled(searchPaths, file) {
  const { source, count } = precompiledSource(searchPaths);
  writeFileSync(file, source);
  return count;
}
