export * from './errors.js';
export * from './ses.js';
export * from './sms.js';
