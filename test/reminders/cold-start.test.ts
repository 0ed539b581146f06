/**
 * A bad rule or reminder-plan override in AUTHORITY_CONFIG fails a Lambda's cold start with a
 * message naming the rule and the field (the timer Lambda here: it builds its engine first).
 */
import { afterAll, describe, expect, it } from 'vitest';

const saved = { ...process.env };

describe('the timer Lambda’s cold start', () => {
  afterAll(() => {
    process.env = saved;
  });

  it('fails on a bad override, naming the rule and the field', async () => {
    // Prepare: the Lambda's environment with a plan step of zero working days.
    process.env.TABLE_NAME = 'timescales-cold-start';
    process.env.SES_FROM = 'timescales@example.gov.uk';
    process.env.SCHEDULE_GROUP = 'timescales-cold-start';
    process.env.SCHEDULER_ROLE_ARN = 'arn:aws:iam::111122223333:role/scheduler';
    process.env.TIMER_TARGET_ARN = 'arn:aws:lambda:eu-west-2:111122223333:function:timers';
    process.env.SCHEDULER_DLQ_ARN = 'arn:aws:sqs:eu-west-2:111122223333:timers-dlq';
    process.env.AUTHORITY_CONFIG = JSON.stringify({
      authority: 'Example Council',
      division: 'england-and-wales',
      preset: 'southampton',
      rules: { rules: { 'core-group': { first: { unit: 'working-days', amount: 0 } } } },
      reminderPlans: {
        'cp-visit': { steps: [{ key: 'b0', at: { kind: 'before', workingDays: 0 }, to: [] }] },
      },
      links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
    });
    const { handler } = await import('#functions/fire/handler.js');

    // Act / Assess
    await expect(
      handler({ caseId: 'C-1001', deadlineId: 'cp-visit.1', kind: 'reminder', version: 1 }),
    ).rejects.toThrow(/rule "core-group" first\.amount: amount must be positive/);
    await expect(
      handler({ caseId: 'C-1001', deadlineId: 'cp-visit.1', kind: 'reminder', version: 1 }),
    ).rejects.toThrow(/reminderPlans "cp-visit" steps\.0\.at\.workingDays: must be positive/);
  });
});
