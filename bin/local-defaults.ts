/** Local mode's defaults, shared by `npm start` (bin/local.ts) and the operator CLI. */

/** The authority `npm start` and `npx timescales … --endpoint` use unless AUTHORITY_CONFIG is set. */
export const DEFAULT_AUTHORITY = {
  authority: 'Example Council (local)',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'http://localhost:3000/v1/cases/{caseId}' },
};

/** The table `npm start` creates unless TABLE_NAME is set. */
export const DEFAULT_TABLE = 'timescales-local';
