/**
 * Each function reads only the parts of the environment its wiring names
 * (`functions/platform/config.ts`): a part it does not name is neither checked nor needed, and
 * every bad variable of the parts it does name is listed at once.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  alertTokenVars,
  authorityVars,
  ConfigError,
  parseConfig,
  readConfig,
  scheduleGroupVars,
  schedulerVars,
  tableVars,
} from '#platform/config.js';

const AUTHORITY = {
  authority: 'Example Borough Council',
  division: 'england-and-wales',
  preset: 'southampton',
  links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}' },
  fallbackContact: { email: 'duty.inbox@example.gov.uk' },
};

describe('a function’s configuration, by parts', () => {
  it('gives exactly the fields of the parts named', () => {
    // Prepare: the read function's environment (table and authority only)
    const env = { TABLE_NAME: 'timescales-read', AUTHORITY_CONFIG: JSON.stringify(AUTHORITY) };
    // Act
    const cfg = readConfig(env, tableVars, authorityVars);
    // Assess
    expect(Object.keys(cfg).sort()).toEqual(['authority', 'dynamoEndpoint', 'tableName']);
    expect(cfg.tableName).toBe('timescales-read');
    expect(cfg.authority.authority).toBe('Example Borough Council');
  });

  it('does not check a part nobody named: a bad SMS_TWO_WAY stops only a function that sends SMS', () => {
    // Prepare
    const env = { TABLE_NAME: 'timescales-a', SMS_TWO_WAY: 'yes' };
    // Act / Assess
    expect(readConfig(env, tableVars).tableName).toBe('timescales-a');
    expect(() => parseConfig(env)).toThrow(/SMS_TWO_WAY/);
  });

  it('lists every bad variable of the parts named, and only those', () => {
    // Prepare: the table name missing, the key ARN malformed, a stray bad WEBHOOK_SECRET
    const env = { ALERT_TOKEN_KEY_ARN: 'not-an-arn', WEBHOOK_SECRET: 'plain-text' };
    // Act
    const read = () => readConfig(env, tableVars, alertTokenVars);
    // Assess
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(
      /TABLE_NAME[\s\S]*ALERT_TOKEN_KEY_ARN: ALERT_TOKEN_KEY_ARN must be an ARN/,
    );
    expect(read).not.toThrow(/WEBHOOK_SECRET/);
  });

  it('cancelling timers needs the schedule group alone; creating them needs all four', () => {
    // Prepare
    const env = { SCHEDULE_GROUP: 'timescales-timers' };
    // Act
    const cancelling = readConfig(env, scheduleGroupVars);
    const creating = readConfig(env, schedulerVars);
    // Assess
    expect(cancelling).toEqual({ scheduleGroup: 'timescales-timers' });
    expect(creating.scheduler).toEqual({
      group: 'timescales-timers',
      roleArn: undefined,
      targetArn: undefined,
      dlqArn: undefined,
    });
  });

  it('the process’s configuration keeps a part once read, and reads a failed part again', async () => {
    // Prepare: a fresh module (nothing kept yet) and an environment without the table
    vi.resetModules();
    const { config, tableVars: table } = await import('#platform/config.js');
    const saved = process.env;
    try {
      process.env = {};
      expect(() => config(table)).toThrow(/TABLE_NAME/);
      process.env = { TABLE_NAME: 'timescales-first' };
      const first = config(table);
      // Act: the environment changes after the cold start
      process.env = { TABLE_NAME: 'timescales-second' };
      const second = config(table);
      // Assess
      expect(first.tableName).toBe('timescales-first');
      expect(second.tableName).toBe('timescales-first');
    } finally {
      process.env = saved;
    }
  });
});
