/**
 * Every deterministic id and name: deadline ids, timer (schedule) names, reminder ids, and the
 * hash and canonical JSON they are made with. Deterministic so that planning, scheduling or
 * sending twice makes one deadline, one schedule and one message.
 *
 * Vocabulary: a reminder plan has **steps**, each with a short **step key** (`p50`, `b2wd`);
 * a timer's payload carries the step key; the **reminder id** (`<deadline>.<step>.<due>`) is
 * the unit of exactly-once sending; a **timer name** is the schedule's name.
 */

const SAFE = /^[0-9a-zA-Z._-]+$/;
const MAX_DEADLINE_ID = 40;
const MAX_TIMER_NAME = 64;

const utf8 = new TextEncoder();

/**
 * FNV-1a, 64 bits, of the text's UTF-8 bytes, as 16 hex digits: stable across runtimes, no
 * crypto import. Computed in four 16-bit limbs (every intermediate stays below 2^31): BigInt
 * arithmetic per byte made this the hottest function of event ingestion (bench:ingest).
 */
export function fnv1a64(text: string): string {
  // ASCII (every id we mint) is hashed from its char codes; anything else from its UTF-8 bytes.
  let ascii = true;
  for (let i = 0; i < text.length && ascii; i++) ascii = text.charCodeAt(i) < 0x80;
  const bytes = ascii ? undefined : utf8.encode(text);
  const length = bytes === undefined ? text.length : bytes.length;
  // The offset basis 0xcbf29ce484222325, low limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < length; i++) {
    h0 ^= bytes === undefined ? text.charCodeAt(i) : (bytes[i] as number);
    // hash × 0x100000001b3 mod 2^64 = hash × 0x1b3 + (hash << 40).
    const t0 = h0 * 0x1b3;
    let t1 = h1 * 0x1b3;
    let t2 = h2 * 0x1b3 + (h0 << 8);
    const t3 = h3 * 0x1b3 + (h1 << 8);
    t1 += t0 >>> 16;
    t2 += t1 >>> 16;
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = (t3 + (t2 >>> 16)) & 0xffff;
  }
  return hex4(h3) + hex4(h2) + hex4(h1) + hex4(h0);
}

function hex4(limb: number): string {
  return limb.toString(16).padStart(4, '0');
}

/**
 * JSON with object keys sorted and undefined members left out, so equal data gives equal text
 * whatever the key order or whitespace it arrived with (event body hashes, rule versions).
 */
export function canonicalJson(value: unknown): string {
  // Loops and string appends rather than entries/filter/map/join: every webhook body is hashed
  // through this, and its answer written with it.
  if (value === null || typeof value !== 'object' || value instanceof Date)
    return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ',') + canonicalJson(value[i]);
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // The default sort compares UTF-16 code units, as `<` does.
  const keys = Object.keys(record).sort();
  let out = '{';
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += `${out.length === 1 ? '' : ','}${JSON.stringify(key)}:${canonicalJson(member)}`;
  }
  return `${out}}`;
}

/**
 * `rule.subject` (e.g. `lado-notification.A-1`), or `rule.x-<hash>` when the subject has
 * characters outside `[0-9a-zA-Z-_.]` or the id would pass 40 characters.
 */
export function subjectDeadlineId(rule: string, subjectId: string): string {
  const plain = `${rule}.${subjectId}`;
  if (SAFE.test(subjectId) && plain.length <= MAX_DEADLINE_ID) return plain;
  const room = Math.min(16, MAX_DEADLINE_ID - rule.length - 3);
  return `${rule}.x-${fnv1a64(subjectId).slice(0, room)}`;
}

/** `rule.n` for the n-th clock of a recurring rule, e.g. `joint-supervision.3`. */
export function recurringDeadlineId(rule: string, sequence: number): string {
  return `${rule}.${sequence}`;
}

/** What a timer name is made from: the deadline it belongs to, at one version. */
export interface TimerOwner {
  readonly caseId: string;
  readonly id: string;
  readonly version: number;
}

/**
 * A deadline's `due` timer: `<case>.<deadline>.<version>.due`, falling back to a hash of the
 * case id, then of everything, to stay within 64 characters.
 */
export function dueTimerName(deadline: TimerOwner): string {
  const tail = `${deadline.id}.${deadline.version}.due`;
  const plain = `${deadline.caseId}.${tail}`;
  if (SAFE.test(deadline.caseId) && plain.length <= MAX_TIMER_NAME) return plain;
  const hashed = `c${fnv1a64(deadline.caseId).slice(0, 12)}.${tail}`;
  if (hashed.length <= MAX_TIMER_NAME && SAFE.test(tail)) return hashed;
  return `t${fnv1a64(`${deadline.caseId}\u0000${tail}`)}.${deadline.version}`;
}

/**
 * A reminder step's timer (≤ 64 chars of `[0-9a-zA-Z-_.]`): a readable prefix of the case
 * reference, a hash of case and deadline ids (ids may be long or hold `:`), the version and
 * the step key; `suffix` marks a delivery held to a later opening (`heldUntilSuffix`).
 */
export function reminderTimerName(deadline: TimerOwner, step: string, suffix = ''): string {
  const hash = fnv1a64(`${deadline.caseId}|${deadline.id}`);
  return `r.${readable(deadline.caseId, 14)}.${hash}.v${deadline.version}.${step}${suffix}`.slice(
    0,
    MAX_TIMER_NAME,
  );
}

/** The name suffix of a timer held to a person's next opening: one per opening minute. */
export function heldUntilSuffix(until: Date): string {
  return `.h${minutes36(until)}`;
}

/** The one morning-digest timer of a team and local date (`suffix` as for reminders). */
export function digestTimerName(team: string, date: string, suffix = ''): string {
  const name = `d.${readable(team, 20)}.${date.replaceAll('-', '')}.${fnv1a64(team).slice(0, 8)}`;
  return `${name}${suffix}`.slice(0, MAX_TIMER_NAME);
}

/**
 * The reminder id, the unit of exactly-once sending: the deadline, the step and the due time
 * it counts towards (minutes, base 36). It survives a version change that keeps the due time
 * (a breach), so a reminder re-planned under the new version is not sent again; a moved due
 * time (a new stage, a supervision held) makes new reminders.
 */
export function reminderId(deadline: { readonly id: string; readonly dueAt: Date }, step: string) {
  return `${deadline.id}.${step}.${minutes36(deadline.dueAt)}`;
}

/** The reminder id of a team's morning digest (its sends are claimed under it). */
export function digestReminderId(team: string, date: string): string {
  return `digest:${date}:${team}`;
}

function readable(text: string, length: number): string {
  return text.replace(/[^0-9A-Za-z-_]/g, '_').slice(0, length);
}

function minutes36(at: Date): string {
  return Math.floor(at.getTime() / 60_000).toString(36);
}

/**
 * The iCalendar UID of one supervision occurrence (one deadline): every invitation about it,
 * and its withdrawal, carry it, so a calendar keeps one entry however many reminders go.
 */
export function invitationUid(deadline: { readonly caseId: string; readonly id: string }): string {
  return `${fnv1a64(`${deadline.caseId}|${deadline.id}`)}.${deadline.id}@timescales`;
}

/**
 * An email's `Message-ID`: one per send claim (reminder, person, channel), so the same message
 * sent again after a crash carries the same id and mail clients show it once.
 */
export function emailMessageId(
  key: { readonly caseId: string; readonly reminderId: string; readonly personId: string },
  domain: string,
): string {
  const hash = fnv1a64(`${key.caseId}|${key.reminderId}|${key.personId}|email`);
  return `<${hash}.${readable(key.reminderId, 40)}@${domain}>`;
}

/**
 * The synthetic person id of the authority's fallback contact (its duty inbox) in routing,
 * send claims, audit lines and the read views: no directory id can take it (ids start with a
 * letter or digit), so a claim for the fallback never meets a real person's.
 */
export const FALLBACK_PERSON_ID = '@fallback';

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/**
 * An alert's id: 8 base64url characters (48 bits) hashed from the case, the reminder (or
 * escalation) it belongs to and the tier it went to, so a redelivered firing finds the alert
 * it made. Short because it rides in every ack link (≤ 60 characters with the base URL);
 * `attempt` salts the hash when an id is already taken by another alert (the store refuses
 * to overwrite one), so a collision costs a second id, never a wrong acknowledgement.
 */
export function alertId(
  key: { readonly caseId: string; readonly reminderId: string; readonly tier: string },
  attempt = 0,
): string {
  const hex = fnv1a64(`${key.caseId}|${key.reminderId}|${key.tier}|${attempt}`).slice(0, 12);
  let out = '';
  // 12 hex digits = 48 bits = two groups of 24 bits, 4 characters each.
  for (const group of [hex.slice(0, 6), hex.slice(6, 12)]) {
    const n = Number.parseInt(group, 16);
    for (const shift of [18, 12, 6, 0]) out += BASE64URL[(n >> shift) & 63];
  }
  return out;
}

/** An alert id as `alertId` makes them: 8 base64url characters. */
export const ALERT_ID = /^[A-Za-z0-9_-]{8}$/;
