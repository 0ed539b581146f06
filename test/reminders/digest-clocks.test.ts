/**
 * A digest's line names its clock as the messages do (`clockLabel`): a rule whose plan has no
 * title reads in words, never as its id.
 */
import { describe, expect, it } from 'vitest';
import { digestClocks } from '#functions/fire/digest-decision.js';
import { at } from '#test/support/reminders.js';

describe('digestClocks', () => {
  it('names a clock with no plan by its rule in words', () => {
    const { lines } = digestClocks(
      [
        {
          team: 'north',
          date: '2030-05-28',
          caseId: 'C-1001',
          reminderId: 'local-visit-check.1.p50.x',
          deadlineId: 'local-visit-check.1',
          step: 'p50',
          rule: 'local-visit-check',
          dueAt: at('2030-05-27T16:00:00Z'),
          alertedAt: at('2030-05-25T03:30:00Z'),
          recipientIds: ['P-0002'],
        },
      ],
      new Map(),
      undefined,
      undefined,
      at('2030-05-28T08:00:00Z'),
      { plans: {}, caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
    );
    expect(lines.map((l) => l.clock.title)).toEqual(['Local visit check']);
  });
});
