/**
 * The pages' paths are declared once (`schemas/web.ts`): pages and templates link, post and
 * redirect through `webPath` / the templates' `path(...)`, never a path typed again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeRenderer } from '#platform/pages/render.js';
import { webResources } from '#platform/pages/resources.js';
import { webPath, webPathFor } from '#schemas/web.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('webPath', () => {
  it('fills a route’s path fields, URL-encoded', () => {
    expect(webPath('home')).toBe('/app');
    expect(webPath('case', { caseId: 'C-1001' })).toBe('/app/cases/C-1001');
    expect(webPath('case', { caseId: 'C 10/01' })).toBe('/app/cases/C%2010%2F01');
    expect(webPath('asset', { file: 'app-1a2b.css' })).toBe('/app/assets/app-1a2b.css');
  });

  it('puts every other field in the query string, in order, leaving out absent and empty ones', () => {
    expect(
      webPath('compliance', {
        from: '2027-01',
        to: '2027-06',
        team: undefined,
        rule: '',
        format: 'csv',
      }),
    ).toBe('/app/reports/compliance?from=2027-01&to=2027-06&format=csv');
    expect(webPath('signInPage', { next: '/app/cases/C-1001?x=1&y=2' })).toBe(
      '/app/sign-in?next=%2Fapp%2Fcases%2FC-1001%3Fx%3D1%26y%3D2',
    );
  });

  it('refuses an unknown route or a path field left out: a programming error, not a link to nowhere', () => {
    expect(() => webPathFor('cases')).toThrow('no web route named cases');
    expect(() => webPathFor('toString')).toThrow('no web route named toString');
    expect(() => webPathFor('case', {})).toThrow('the web route case needs its caseId');
  });

  it('is the templates’ path(...)', () => {
    const render = makeRenderer(webResources([]));
    const html = render('error.njk', {
      title: 'Page not found',
      paragraphs: ['There is no case C-1001.'],
      problems: [],
      links: [{ href: '/app', text: 'Deadlines' }],
      authority: 'Example Borough Council',
      stylesheet: '/app/assets/app-test.css',
      viewer: { personId: 'P-0100', name: 'Manager North', roles: [], teams: [], cases: [] },
      navPages: [
        { name: 'home', text: 'Deadlines' },
        { name: 'compliance', text: 'Compliance report' },
      ],
      homeAllowed: true,
      roleNames: ['team manager'],
      csrf: 'token',
    });
    expect(html).toContain('<a href="/app" class="govuk-generic-header__homepage-link">');
    expect(html).toContain('action="/app/sign-out"');
    expect(html).toContain('href="/app/reports/compliance"');
  });
});

/** Every file under `dir` (relative to the repository) whose name ends with `ending`. */
function filesUnder(dir: string, ending: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith(ending))
    .map((name) => join(dir, name));
}

/** The text of a file without its comments (Nunjucks `{# #}`, or `//` and `/* *\/`). */
function withoutComments(file: string): string {
  const text = readFileSync(join(ROOT, file), 'utf8');
  if (file.endsWith('.njk')) return text.replace(/\{#[\s\S]*?#\}/g, '');
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');
}

/** A path of the pages written out: `/app` at the start of a string, an attribute or a URL. */
const LITERAL_PATH = /(["'`=]|https?:\/\/[^/"'`\s]*)\/app\b/;

describe('no page or template types a page’s path', () => {
  const templates = [
    ...filesUnder('functions/platform/pages/views', '.njk'),
    ...filesUnder('functions/web/views', '.njk'),
    ...filesUnder('functions/alerts/views', '.njk'),
  ];
  const pages = [
    ...filesUnder('functions/web', '.ts'),
    ...filesUnder('functions/platform/pages', '.ts'),
    ...filesUnder('functions/alerts', '.ts'),
  ];

  it('finds the files it checks', () => {
    expect(templates).toContain('functions/platform/pages/views/layout.njk');
    expect(pages).toContain('functions/web/pages.ts');
  });

  it.each([...templates, ...pages])('%s', (file) => {
    const found = withoutComments(file)
      .split('\n')
      .filter((line) => LITERAL_PATH.test(line));
    expect(found, `use webPath(...) or path(...) in ${relative(ROOT, join(ROOT, file))}`).toEqual(
      [],
    );
  });

  it('would catch one', () => {
    expect(LITERAL_PATH.test('<a href="/app/people">')).toBe(true);
    expect(LITERAL_PATH.test("return redirect('/app/sign-in');")).toBe(true);
    expect(LITERAL_PATH.test('signOutUrl(https://timescales.example.gov.uk/app/sign-in)')).toBe(
      true,
    );
    expect(LITERAL_PATH.test("{ href: '/app/cases/' + id }")).toBe(true);
    expect(LITERAL_PATH.test("webPath('case', { caseId })")).toBe(false);
  });
});
