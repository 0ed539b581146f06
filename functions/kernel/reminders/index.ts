/** Reminders (pure): plans, planning, routing, messages and the read view. */
export * from './alerts.js';
export * from './backoff.js';
export * from './breach-steps.js';
export * from './delivery.js';
export * from './digest-message.js';
export * from './invitation.js';
export * from './messages.js';
export * from './overrides.js';
export * from './planning.js';
export * from './plans.js';
export * from './reminder-timers.js';
export * from './routing.js';
export * from './steps.js';
export * from './types.js';
export * from './view.js';
