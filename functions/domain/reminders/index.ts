/** Reminders (pure): plans, routing and message rendering. */
export * from './backoff.js';
export * from './messages.js';
export * from './plans.js';
export * from './ports.js';
export * from './routing.js';
export * from './types.js';

import type { ReminderMoment } from './messages.js';
import type { ReminderAt } from './types.js';

/** How a step's timing reads in a message. */
export function momentOf(at: ReminderAt): ReminderMoment {
  switch (at.kind) {
    case 'start':
      return 'start';
    case 'before':
    case 'fraction':
      return 'before';
    case 'on-day':
      return 'on-day';
    case 'due':
      return 'due';
    case 'after':
      return 'overdue';
  }
}
