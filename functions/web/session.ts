/**
 * Sessions and CSRF for the managers' pages.
 *
 * The session is a cookie, `ts_session`: HttpOnly (no script reads it), SameSite=Lax (not sent
 * on cross-site POSTs), Path=/app, Secure in AWS. In AWS it holds the Cognito ID token, checked
 * on every request; locally, a person id with an expiry, signed with a key made at start.
 *
 * Every POST form carries a CSRF token: an HMAC of the cookie it acts under (the session, or
 * before sign-in a random `ts_csrf` cookie), so a page on another site can neither read the
 * cookie nor compute the token. GET forms (the report's filters) change nothing and carry none:
 * a token in a URL would leak into logs and the Referer header.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { WEB_ROOT } from '#schemas/web.js';

export const SESSION_COOKIE = 'ts_session';
export const CSRF_COOKIE = 'ts_csrf';
export const OAUTH_COOKIE = 'ts_oauth';

/** Cookies of a request: API Gateway v2 passes them as `cookies`; a header otherwise. */
export function readCookies(
  cookies: readonly string[] | undefined,
  header: string | undefined,
): Record<string, string> {
  const pairs = [...(cookies ?? []), ...(header === undefined ? [] : header.split(';'))];
  const found: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    if (!(name in found)) found[name] = pair.slice(at + 1).trim();
  }
  return found;
}

export interface CookieOptions {
  /** Seconds; 0 deletes the cookie. */
  maxAge: number;
  secure: boolean;
  path?: string;
}

export function setCookie(name: string, value: string, options: CookieOptions): string {
  return [
    `${name}=${value}`,
    `Path=${options.path ?? WEB_ROOT}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
    ...(options.secure ? ['Secure'] : []),
  ].join('; ');
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** The CSRF token that goes with a cookie's value. */
export function csrfFor(cookieValue: string): string {
  return createHmac('sha256', cookieValue).update('timescales csrf').digest('base64url');
}

/** Whether a form's token is the one for the cookie (compared in constant time). */
export function csrfMatches(cookieValue: string | undefined, token: string | undefined): boolean {
  if (cookieValue === undefined || cookieValue === '' || token === undefined) return false;
  const expected = Buffer.from(csrfFor(cookieValue));
  const given = Buffer.from(token);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/** Local mode's sessions: `<person id>.<expiry>.<HMAC>`, signed with a key made at start. */
export class LocalSessions {
  constructor(
    private readonly key: Buffer = randomBytes(32),
    /** @default 8 hours (a working day) */
    readonly lifetimeSeconds = 8 * 3600,
  ) {}

  issue(personId: string, now: Date): string {
    const body = `${Buffer.from(personId).toString('base64url')}.${Math.floor(now.getTime() / 1000) + this.lifetimeSeconds}`;
    return `${body}.${this.sign(body)}`;
  }

  /** The person id of a valid, unexpired session value. */
  read(value: string | undefined, now: Date): string | undefined {
    const parts = value?.split('.');
    if (parts?.length !== 3) return undefined;
    const [id, expiry, mac] = parts as [string, string, string];
    const expected = Buffer.from(this.sign(`${id}.${expiry}`));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    if (Number(expiry) * 1000 <= now.getTime()) return undefined;
    return Buffer.from(id, 'base64url').toString('utf8');
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
