/**
 * The two ways the pages are rendered give the same HTML: local mode and tests compile the
 * `.njk` files on first use with the whole of Nunjucks; a Lambda renders the templates that
 * `scripts/copy-web-resources.mjs` compiled at bundle time with Nunjucks' runtime only.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRenderer, type Render } from '#platform/pages/render.js';
import { webResources } from '#platform/pages/resources.js';
// @ts-expect-error: a plain .mjs build script, without types
import { writePrecompiled } from '#scripts/precompile-templates.mjs';

const dir = mkdtempSync(join(tmpdir(), 'timescales-templates-'));
/** Every page feature's templates (the web pages, the ack link's), then the shared layout's. */
const resources = webResources(
  ['web', 'alerts'].map((f) =>
    fileURLToPath(new URL(`../../functions/${f}/views`, import.meta.url)),
  ),
);
let fromFiles: Render;
let precompiled: Render;

beforeAll(() => {
  const file = join(dir, 'templates.cjs');
  writePrecompiled([...resources.views, resources.govukDist], file);
  fromFiles = makeRenderer(resources);
  precompiled = makeRenderer({ ...resources, precompiled: file });
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const base = { authority: 'Example Borough Council', stylesheet: '/app/assets/app-test.css' };

describe('pages rendered from compiled templates', () => {
  it.each([
    [
      'ack.njk',
      {
        ...base,
        title: 'Acknowledge alert for case C-1001',
        cspNonce: 'bm9uY2U=',
        lead: ['An urgent clock needs someone on it.'],
        rows: [
          ['Case', 'C-1001'],
          ['Due', 'Saturday 25 May 2030, 16:30 (BST)'],
        ],
        button: 'Acknowledge – I am dealing with it',
      },
    ],
    [
      'error.njk',
      {
        ...base,
        title: 'There is a problem',
        detail: 'team: <not a team>',
        errors: [{ field: 'team', message: 'unknown team' }],
      },
    ],
  ])('%s: the same HTML as from the .njk files, escaped alike', (view, context) => {
    const html = precompiled(view, context);
    expect(html).toBe(fromFiles(view, context));
    expect(html).toContain('govuk-template');
    expect(html).not.toContain('<not a team>');
  });

  it.each(resources.views.flatMap((folder) => readdirSync(folder)))(
    '%s renders the same both ways for a signed-in viewer with no data',
    (view) => {
      const context = {
        ...base,
        title: 'Deadlines',
        viewer: { name: 'Manager One', personId: 'P-0002', teams: ['north'] },
        roleNames: ['team manager'],
        csrf: 'token',
      };
      expect(precompiled(view, context)).toBe(fromFiles(view, context));
    },
  );
});

describe('the local sign-in page with nobody in the directory', () => {
  it('says so in plain words, naming no event type', () => {
    const html = fromFiles('sign-in.njk', { ...base, title: 'Sign in', people: [], next: '/app' });

    expect(html).toContain('Nobody is in the directory yet, so there is nobody to sign in as.');
    expect(html).not.toContain('person.upserted');
  });
});
