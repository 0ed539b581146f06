import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#platform/config.js';
import { AUTHORITY, TEST_SECRET } from './support.js';

describe('parseConfig', () => {
  it('parses the Lambda environment once into typed config', () => {
    // Prepare
    const env = {
      TABLE_NAME: 'timescales',
      WEBHOOK_SECRET: TEST_SECRET,
      AUTHORITY_CONFIG: JSON.stringify(AUTHORITY),
    };
    // Act
    const config = parseConfig(env);
    // Assess
    expect(config).toMatchObject({
      tableName: 'timescales',
      webhookSecret: TEST_SECRET,
      authority: { division: 'england-and-wales' },
    });
  });

  it('fails fast naming every bad variable', () => {
    // Prepare
    const env = { WEBHOOK_SECRET: 'plain-text', AUTHORITY_CONFIG: '{"division":' };
    // Act
    const parse = () => parseConfig(env);
    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(
      /TABLE_NAME[\s\S]*WEBHOOK_SECRET: WEBHOOK_SECRET must be a whsec_[\s\S]*AUTHORITY_CONFIG is not valid JSON/,
    );
  });

  it('names the field inside AUTHORITY_CONFIG', () => {
    // Act
    const parse = () =>
      parseConfig({
        TABLE_NAME: 'timescales',
        AUTHORITY_CONFIG: JSON.stringify({ ...AUTHORITY, division: 'wales' }),
      });
    // Assess
    expect(parse).toThrow(/AUTHORITY_CONFIG\.division/);
  });

  it('takes ackWithinMinutes 5 to 240 (30 when absent) and refuses 4 and 241, naming the field', () => {
    // Prepare
    const env = (ackWithinMinutes?: number) => ({
      TABLE_NAME: 'timescales',
      AUTHORITY_CONFIG: JSON.stringify({ ...AUTHORITY, ackWithinMinutes }),
    });
    // Act / Assess: the same range as the deployment file's (test/infra/config.test.ts).
    expect(parseConfig(env()).authority.ackWithinMinutes).toBe(30);
    expect(parseConfig(env(5)).authority.ackWithinMinutes).toBe(5);
    expect(parseConfig(env(240)).authority.ackWithinMinutes).toBe(240);
    expect(() => parseConfig(env(4))).toThrow(/AUTHORITY_CONFIG\.ackWithinMinutes/);
    expect(() => parseConfig(env(241))).toThrow(/AUTHORITY_CONFIG\.ackWithinMinutes/);
  });
});
