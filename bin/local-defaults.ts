/** Local mode's defaults, shared by `npm start` (bin/local.ts) and the operator CLI. */

/**
 * Local mode's duty inbox: reminders that reach nobody go here (see GET /local/outbox). Used
 * too when an AUTHORITY_CONFIG given to `npm start` names none.
 */
export const DEFAULT_FALLBACK_CONTACT = { email: 'duty.inbox@example.gov.uk' };

/** The authority `npm start` and `npx timescales … --endpoint` use unless AUTHORITY_CONFIG is set. */
export const DEFAULT_AUTHORITY = {
  authority: 'Example Council (local)',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'http://localhost:3000/v1/cases/{caseId}' },
  fallbackContact: DEFAULT_FALLBACK_CONTACT,
};

/** The table `npm start` creates unless TABLE_NAME is set. */
export const DEFAULT_TABLE = 'timescales-local';
