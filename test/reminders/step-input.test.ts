/**
 * What a reminder, an escalation and the follow-up of an undelivered one all say the same way
 * about a deadline's moment (`stepInput`): a breach is late from the statutory limit, which
 * decides it, not from the working target; the council is named as the authority names itself.
 */
import { describe, expect, it } from 'vitest';
import { stepInput } from '#functions/fire/compose-message.js';
import type { ReminderDeadline } from '#kernel/reminders/types.js';

const deadline = {
  id: 'joint-supervision.1',
  caseId: 'C-1001',
  rule: 'joint-supervision',
  status: 'breached',
  // Worked target: close of business on Friday 5 March 2027; limit: the end of Sunday 7 March.
  dueAt: new Date('2027-03-05T17:00:00Z'),
  limitAt: new Date('2027-03-08T00:00:00Z'),
  startedAt: new Date('2026-12-07T01:09:46Z'),
  version: 2,
} as unknown as ReminderDeadline;

const settings = {
  caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
  emailFrom: 'timescales@example.gov.uk',
  authorityName: 'Example Borough Council',
  authorityShortName: 'Example BC',
};

describe('stepInput', () => {
  it('counts a breach as late from the limit: 09:00 on Monday is 9 hours late, not 64', () => {
    const input = stepInput(
      deadline,
      'Joint supervision',
      'breach',
      new Date('2027-03-08T09:00:00Z'),
      settings,
    );

    expect(input.lateMs).toBe(9 * 3_600_000);
    expect(input.link).toBe('https://cases.example.gov.uk/cases/C-1001');
    expect(input).toMatchObject({
      authority: 'Example Borough Council',
      authorityShortName: 'Example BC',
      title: 'Joint supervision',
    });
  });

  it('says nothing of lateness but at a breach, even for a step sent after the limit', () => {
    // An overdue step at 09:00 on Monday, past the limit: the breach step says how late.
    const input = stepInput(
      deadline,
      'Joint supervision',
      'overdue',
      new Date('2027-03-08T09:00:00Z'),
      settings,
    );

    expect(input.lateMs).toBeUndefined();
  });
});
