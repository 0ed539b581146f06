import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#commons/config.js';
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
});
