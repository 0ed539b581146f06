/** The local stack of the local-mode stories (see local-mode.test.ts) and the people in them. */
import { AUTHORITY } from '#test/api/support.js';
import { startStack } from './stack.js';

export const EDT_PHONE = '+447700900005';
export const EDT_EMAIL = 'edt.manager.one@example.gov.uk';
export const MANAGER_EMAIL = 'manager.one@example.gov.uk';
export const DUTY_INBOX = AUTHORITY.fallbackContact?.email as string;

/** One local stack (its own table, server and simulated clock) and the calls a sender makes. */
export async function localStack(start: string) {
  const base = await startStack({ name: 'L', authority: AUTHORITY, start });
  const stack = {
    ...base,
    deliver: (e: ReturnType<typeof base.event>) => base.post('/v1/events', e, true),
    moveClock: (now: string) => base.post('/local/clock', { now }),
    now: () => base.reminders.clock.now(),
    get: base.getJson,
    person: (personId: string, email: string, phone?: string, managerId?: string) =>
      base.person('2026-05-01T09:00:00Z', {
        personId,
        email,
        ...(phone ? { phone } : {}),
        ...(managerId ? { managerId } : {}),
      }),
  };
  return stack;
}

export type Stack = Awaited<ReturnType<typeof localStack>>;

export const WORKERS = [
  { personId: 'P-0002', role: 'team-manager' },
  { personId: 'P-0004', role: 'lado' },
];
