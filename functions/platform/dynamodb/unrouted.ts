/**
 * Unrouted reminders on the single table: one item per reminder that reached nobody it was
 * meant for (`UNROUTED#<team>` / `<at>#<case>#<reminder>`, and on gsi1 `UNROUTED` /
 * `<at>#<team>#<case>#<reminder>` for the list across teams), written with the firing's audit
 * lines (`DynamoReminderAudit`). `at` is when the reminder was due to fire, so a re-fire of the
 * same reminder rewrites its item. The read API lists them (`functions/read/unrouted-store.ts`).
 */
import type { UnroutedReminder } from '#kernel/records.js';
import * as keys from './keys.js';
import { TABLE_KEYS } from './table.js';

/** How long an unrouted reminder is listed (DynamoDB TTL deletes it afterwards). */
export const UNROUTED_TTL_DAYS = 400;

/** The item of an unrouted reminder. */
export function unroutedItem(r: UnroutedReminder): Record<string, unknown> {
  const at = r.at.toISOString();
  return {
    ...keys.unrouted(r.team, at, r.caseId, r.reminderId),
    ...keys.unroutedIndex(at, r.team, r.caseId, r.reminderId),
    entity: 'unrouted-reminder',
    ...r,
    at,
    [TABLE_KEYS.ttlAttribute]: Math.floor(r.at.getTime() / 1000) + UNROUTED_TTL_DAYS * 86_400,
  };
}
