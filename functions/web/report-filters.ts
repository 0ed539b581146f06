/**
 * The report's filters (`from`, `to`, `team`, `rule`, `format`) checked, with each problem in
 * the words of the GOV.UK error message pattern, naming the form's label ("From month must be
 * a real month, like 2027-06"): the report's form shows them beside its fields; the CSVs, on
 * their error page or in their problem.
 */
import type * as z from '#schemas/zod.js';

export type FilterField = 'from' | 'to' | 'team' | 'rule' | 'format';

export interface FilterError {
  /** The field, or '' for the address as a whole (a filter the report does not know). */
  field: FilterField | '';
  message: string;
}

const MESSAGES: Record<FilterField, string> = {
  from: 'From month must be a real month, like 2027-06',
  to: 'To month must be a real month, like 2027-06',
  team: 'Team must only include letters, numbers, dots, underscores, colons and hyphens',
  rule: 'Select a kind of clock from the list',
  format: 'Format must be HTML or CSV',
};

/** `from` after `to`. */
export const ORDER_ERROR: FilterError = {
  field: 'from',
  message: 'From month must be the same as or before to month',
};

/** A period whose rows one download cannot carry. */
export const TOO_MANY_ROWS: FilterError = {
  field: 'from',
  message: 'Choose a shorter period: this one has more rows than one download can carry',
};

/** A query that failed its schema, as one message per field (the first problem of each). */
export function filterErrors(
  result: { success: true } | { success: false; error: z.core.$ZodError },
): FilterError[] {
  if (result.success) return [];
  const errors: FilterError[] = [];
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '');
    if (field in MESSAGES) {
      if (!errors.some((e) => e.field === field))
        errors.push({ field: field as FilterField, message: MESSAGES[field as FilterField] });
    } else {
      const keys = 'keys' in issue ? (issue.keys as string[]) : [];
      errors.push({
        field: '',
        message: `The report has no filter called ${keys.map((k) => `“${k}”`).join(' or ') || 'that'}: remove it from the address`,
      });
    }
  }
  return errors;
}
