/**
 * The channel tests' messages: one person's LADO reminder by email for case C-1001 under a
 * fresh claim key each time, and the 5xx SES answers with when it fails inside.
 */
import type { ClaimKey, OutboundMessage } from '#functions/fire/ports.js';

let n = 0;
/** A fresh claim key; `channel` rides along for the logs the tests compare (ids only). */
export const claimKey = <C extends 'email' | 'sms'>(channel: C): ClaimKey & { channel: C } => ({
  caseId: 'C-1001',
  reminderId: `lado-notification.A-1.p50.${++n}`,
  personId: 'P-0005',
  channel,
});

export const ladoEmail = (k: ClaimKey, extra: Partial<OutboundMessage> = {}): OutboundMessage => ({
  channel: 'email',
  to: 'edt.manager.one@example.gov.uk',
  subject: `C-1001: LADO notification due soon ${k.reminderId}`,
  text: 'Case: C-1001',
  html: '<p>Case: C-1001</p>',
  meta: {
    caseId: 'C-1001',
    rule: 'lado-notification',
    reminderId: k.reminderId,
    personId: k.personId,
  },
  ...extra,
});

/** What SES answers when it fails inside (retryable). */
export const ses5xx = () =>
  Object.assign(new Error('internal'), {
    name: 'InternalFailure',
    $metadata: { httpStatusCode: 500 },
  });
