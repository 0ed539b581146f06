/**
 * The ack link's token: `<base>/a/<token>`, at most 60 characters; HMAC-SHA256 over the alert id
 * and expiry with the alert-token key, truncated to what the base leaves room for (8–16
 * bytes). A forged, altered, expired or another key's token is refused; another alert's token
 * names that other alert only; no personal data is in it.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertId } from '#kernel/ids.js';
import {
  AlertTokenConfigError,
  MAX_ACK_URL,
  macBytesFor,
  makeAlertTokens,
} from '#platform/alert-token.js';

const KEY = 'test-alert-token-key-0123456789abcdef';
const BASE = 'https://ack.example.gov.uk';
const tokens = makeAlertTokens({ key: KEY, baseUrl: BASE });
const ALERT = alertId({ caseId: 'C-1001', reminderId: 'lado-notification.A-1.p50.x', tier: '1' });
const OTHER = alertId({ caseId: 'C-1002', reminderId: 'lado-notification.A-1.p50.x', tier: '1' });
/** Valid until Sunday 24 May 2026 16:30 BST. */
const UNTIL = new Date('2026-05-24T15:30:00Z');
const BEFORE = new Date('2026-05-24T15:29:00Z');

/** The token with one character changed to another of the alphabet. */
function flipped(token: string, index: number): string {
  const c = token[index] === 'A' ? 'B' : 'A';
  return `${token.slice(0, index)}${c}${token.slice(index + 1)}`;
}

describe('the ack link', () => {
  it('is the base, /a/ and the token, within 60 characters', () => {
    // 26 + 3 + base64url of 6 + 4 + n bytes ≤ 60 leaves 31 characters, 23 bytes: n = 13.
    expect(tokens.macBytes).toBe(13);
    const link = tokens.link(ALERT, UNTIL);
    expect(link).toMatch(/^https:\/\/ack\.example\.gov\.uk\/a\/[A-Za-z0-9_-]{31}$/);
    expect(link.length).toBeLessThanOrEqual(MAX_ACK_URL);
  });

  it('takes the longest MAC up to 16 bytes that fits, refusing a base that leaves room for fewer than 8', () => {
    // A short base: 16 bytes (26 bytes of token, 35 characters).
    expect(macBytesFor('https://a.gov.uk')).toBe(16);
    // 33 characters of base leave 24 for the token: 18 bytes, an 8-byte MAC.
    expect(macBytesFor(`https://${'a'.repeat(25)}`)).toBe(8);
    expect(() => macBytesFor(`https://${'a'.repeat(26)}`)).toThrow(AlertTokenConfigError);
    // A trailing slash is not counted twice.
    expect(macBytesFor(`${BASE}/`)).toBe(13);
  });

  it('refuses a key shorter than 32 characters', () => {
    expect(() => makeAlertTokens({ key: 'short', baseUrl: BASE })).toThrow(AlertTokenConfigError);
  });

  it('carries the alert id and the expiry (to the minute), nothing else', () => {
    const bytes = Buffer.from(tokens.token(ALERT, UNTIL), 'base64url');
    expect(bytes.subarray(0, 6).toString('base64url')).toBe(ALERT);
    expect(bytes.readUInt32BE(6) * 60_000).toBe(Date.parse('2026-05-24T15:30:00Z'));
    expect(bytes).toHaveLength(6 + 4 + 13);
  });
});

describe('verifying a token', () => {
  it('accepts ours before its expiry, naming the alert and the expiry', () => {
    expect(tokens.verify(tokens.token(ALERT, UNTIL), BEFORE)).toEqual({
      ok: true,
      alertId: ALERT,
      validUntil: UNTIL,
    });
  });

  it('refuses it as expired from its expiry on', () => {
    expect(tokens.verify(tokens.token(ALERT, UNTIL), UNTIL)).toEqual({
      ok: false,
      reason: 'expired',
    });
  });

  it('refuses as forged a token whose expiry was moved later (the MAC covers it)', () => {
    const token = Buffer.from(tokens.token(ALERT, UNTIL), 'base64url');
    token.writeUInt32BE(token.readUInt32BE(6) + 24 * 60, 6);
    expect(tokens.verify(token.toString('base64url'), UNTIL)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('refuses as forged another alert’s id under this alert’s MAC', () => {
    const mine = Buffer.from(tokens.token(ALERT, UNTIL), 'base64url');
    Buffer.from(OTHER, 'base64url').copy(mine, 0);
    expect(tokens.verify(mine.toString('base64url'), BEFORE)).toEqual({
      ok: false,
      reason: 'forged',
    });
    // Another alert's own token is valid, for that alert only.
    const other = tokens.verify(tokens.token(OTHER, UNTIL), BEFORE);
    expect(other.ok && other.alertId).toBe(OTHER);
  });

  it('refuses as forged a token made with another key', () => {
    const theirs = makeAlertTokens({ key: `${KEY}-other`, baseUrl: BASE });
    expect(tokens.verify(theirs.token(ALERT, UNTIL), BEFORE)).toEqual({
      ok: false,
      reason: 'forged',
    });
  });

  it('refuses as forged any token with one character changed', () => {
    const token = tokens.token(ALERT, UNTIL);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: token.length - 2 }), (index) => {
        // The last character carries 2 padding bits too (see the malformed case).
        const check = tokens.verify(flipped(token, index), BEFORE);
        expect(check.ok).toBe(false);
      }),
    );
  });

  it('refuses as malformed what is not exactly our length of canonical base64url', () => {
    const token = tokens.token(ALERT, UNTIL);
    for (const text of ['', 'x', token.slice(1), `${token}A`, `${token.slice(0, -1)}+`, '../..']) {
      expect(tokens.verify(text, BEFORE)).toEqual({ ok: false, reason: 'malformed' });
    }
    // 23 bytes are 31 characters with 2 spare bits in the last: only the canonical one is ours.
    const last = token.at(-1) ?? 'A';
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sibling = alphabet[alphabet.indexOf(last) ^ 1] ?? 'A';
    expect(tokens.verify(`${token.slice(0, -1)}${sibling}`, BEFORE)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });

  it('a replayed token still verifies: the use case, not the token, answers "already acknowledged"', () => {
    const token = tokens.token(ALERT, UNTIL);
    expect(tokens.verify(token, BEFORE).ok).toBe(true);
    expect(tokens.verify(token, BEFORE).ok).toBe(true);
  });
});
