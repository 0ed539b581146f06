/**
 * Why a clock stopped being owed, as the case page shows it ("No longer owed: …"): in words,
 * also when an authority's own rule cancels a clock on an event the service has no sentence for.
 */
import { describe, expect, it } from 'vitest';
import { cancelReason } from '#kernel/engine/reasons.js';
import type { CaseEvent } from '#schemas/events.js';

const event = (type: string, data: object = {}) =>
  ({ id: 'e-1', type, caseId: 'C-1001', occurredAt: '2030-01-02T10:00:00Z', data }) as CaseEvent;

describe('cancelReason', () => {
  it('says what ended the clock in a sentence of its own', () => {
    expect(cancelReason(event('case.closed'))).toBe('The case was closed.');
  });

  it('words an event it has no sentence for, never naming its type', () => {
    const reason = cancelReason(event('disagreement.resolved', { disagreementId: 'D-1' }));

    expect(reason).toBe('Cancelled when the case system reported: disagreement resolved.');
    expect(reason).not.toContain('disagreement.resolved');
  });
});
