/**
 * The pages' one stylesheet, served by the web Lambda itself under `/app/assets/` with a
 * content hash in its name and a year-long immutable cache (a new release is a new name).
 *
 * It is govuk-frontend's compiled CSS, adjusted for a service that is not on GOV.UK: the
 * GDS Transport font and the crown are for GOV.UK only, so the font declarations fall back
 * to Arial (the Design System's advice outside GOV.UK) and the `@font-face` rules go — no
 * font files are served. Our few additions follow it.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { webPath } from '#schemas/web.js';

const APP_CSS = `
.app-nowrap{white-space:nowrap}
.app-table-scroll{overflow-x:auto;margin-bottom:20px}
.app-table-scroll:focus{outline:3px solid #fd0;outline-offset:0}
.app-table-scroll .govuk-table{margin-bottom:0}
.app-explain{margin:0;padding-left:1.2em}
.app-signout{display:inline;margin:0}
.app-link-button{background:none;border:0;padding:0;margin:0;cursor:pointer;font:inherit;color:#1d70b8;text-decoration:underline}
.app-link-button:focus{outline:3px solid transparent;background-color:#fd0;color:#0b0c0c;box-shadow:0 -2px #fd0,0 4px #0b0c0c;text-decoration:none}
`;

export interface Asset {
  body: Buffer;
  /** The same, gzipped (sent to clients that accept it). */
  gzipped: Buffer;
  contentType: string;
}

export interface Assets {
  /** The stylesheet's path, e.g. `/app/assets/app-1a2b3c4d.css`. */
  stylesheet: string;
  get(file: string): Asset | undefined;
}

/** govuk-frontend's CSS without GDS Transport (Arial instead) and with our additions. */
export function adjustCss(css: string): string {
  return `${css
    .replace(/@font-face\{font-family:GDS Transport;[^}]*\}/g, '')
    .replaceAll('font-family:GDS Transport,arial,sans-serif', 'font-family:arial,sans-serif')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//, '')}\n${APP_CSS}`;
}

export function loadAssets(govukDist: string): Assets {
  const css = adjustCss(readFileSync(join(govukDist, 'govuk', 'govuk-frontend.min.css'), 'utf8'));
  const hash = createHash('sha256').update(css).digest('hex').slice(0, 12);
  const name = `app-${hash}.css`;
  const body = Buffer.from(css);
  const files = new Map<string, Asset>([
    [name, { body, gzipped: gzipSync(body), contentType: 'text/css; charset=utf-8' }],
  ]);
  return { stylesheet: webPath('asset', { file: name }), get: (file) => files.get(file) };
}
