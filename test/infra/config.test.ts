import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCaseEngine } from '#kernel/engine/bound.js';
import {
  AUTHORITY_CONFIG_MAX_BYTES,
  authorityConfig,
  authorityOf,
  ConfigError,
  loadConfig,
  parseConfig,
} from '#lib/config.js';
import { AuthorityConfig } from '#schemas/authority.js';
import { EXAMPLE_CONFIG } from './helpers.js';

/** The issues `parseConfig` reports for the example with `patch` applied. */
function issuesFor(patch: Record<string, unknown>): string[] {
  try {
    parseConfig({ ...EXAMPLE_CONFIG, ...patch });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).issues;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('timescales.config.json', () => {
  it('the committed example is valid and uses fake example.gov.uk values', () => {
    const config = loadConfig('timescales.config.json');
    expect(config.email?.from).toMatch(/@example\.gov\.uk$/);
    expect(config.alarmEmail).toMatch(/@example\.gov\.uk$/);
    expect(config.links.caseUrlTemplate).toMatch(/^https:\/\/[^/]*example\.gov\.uk\//);
  });

  it('fills defaults', () => {
    const config = parseConfig(EXAMPLE_CONFIG);
    expect(config.logRetentionDays).toBe(365);
    expect(config.api).toEqual({ rateLimit: 50, burstLimit: 100 });
    expect(config.concurrency).toEqual({ events: 20, reminders: 5 });
    expect(config.email?.manageIdentity).toBe(true);
    expect(config.dropBucket).toEqual({ expireAfterDays: 30 });
  });

  it('takes a short name for texts under 20 characters, and passes it to the Lambdas', () => {
    expect(issuesFor({ shortName: 'Example Borough Cncl' })).toEqual([
      'shortName: must be under 20 characters (it starts every text message)',
    ]);
    expect(issuesFor({ shortName: 'E' })).toEqual([
      'shortName: must name the council in 2 to 19 characters',
    ]);
    const json = JSON.parse(
      authorityConfig(parseConfig({ ...EXAMPLE_CONFIG, shortName: 'Example BC' })),
    );
    expect(json.shortName).toBe('Example BC');
    expect(loadConfig('timescales.config.json').shortName).toBe('Example BC');
  });

  it('refuses a drop-bucket expiry that is not a whole number of days from 1 to 3650', () => {
    for (const days of [0, 1.5, 3651]) {
      expect(() =>
        parseConfig({ ...EXAMPLE_CONFIG, dropBucket: { expireAfterDays: days } }),
      ).toThrow(/dropBucket\.expireAfterDays/);
    }
  });

  it('AUTHORITY_CONFIG carries the fields the Lambdas read, nothing operational', () => {
    const json = JSON.parse(authorityConfig(parseConfig(EXAMPLE_CONFIG)));
    expect(json).toEqual({
      authority: 'Example Borough Council',
      division: 'england-and-wales',
      preset: 'southampton',
      officeHours: { '1': { open: '09:00', close: '17:00' } },
      links: {
        caseUrlTemplate: 'https://cases.example.gov.uk/cases/{caseId}',
        ackBaseUrl: 'https://ack.example.gov.uk',
      },
      fallbackContact: { email: 'duty.inbox@example.gov.uk' },
      ackWithinMinutes: 30,
    });
  });
});

describe('out-of-hours alerts a council sets', () => {
  const links = (ackBaseUrl: string) => ({
    links: { caseUrlTemplate: EXAMPLE_CONFIG.links.caseUrlTemplate, ackBaseUrl },
  });

  it('waits 30 minutes for an acknowledgement unless told otherwise, and SMS are one-way', () => {
    const config = parseConfig(EXAMPLE_CONFIG);
    expect(config.ackWithinMinutes).toBe(30);
    expect(config.sms?.twoWay).toBe(false);
    expect(parseConfig({ ...EXAMPLE_CONFIG, ackWithinMinutes: 15 }).ackWithinMinutes).toBe(15);
  });

  it('refuses a wait under 5 minutes or over 4 hours, naming the field', () => {
    expect(issuesFor({ ackWithinMinutes: 4 })).toEqual([
      expect.stringMatching(/^ackWithinMinutes: /),
    ]);
    expect(issuesFor({ ackWithinMinutes: 241 })).toEqual([
      expect.stringMatching(/^ackWithinMinutes: /),
    ]);
    expect(parseConfig({ ...EXAMPLE_CONFIG, ackWithinMinutes: 5 }).ackWithinMinutes).toBe(5);
    expect(parseConfig({ ...EXAMPLE_CONFIG, ackWithinMinutes: 240 }).ackWithinMinutes).toBe(240);
  });

  it('passes the Lambdas 30 when absent, and their schema (the same one) refuses 4 and 241', () => {
    const authority = authorityOf(parseConfig(EXAMPLE_CONFIG));
    expect(AuthorityConfig.parse(authority).ackWithinMinutes).toBe(30);
    for (const ackWithinMinutes of [4, 241])
      expect(AuthorityConfig.safeParse({ ...authority, ackWithinMinutes }).error?.issues).toEqual([
        expect.objectContaining({ path: ['ackWithinMinutes'] }),
      ]);
  });

  it('refuses an ack base URL that is not https, or carries a query', () => {
    expect(issuesFor(links('http://ack.example.gov.uk'))).toEqual([
      expect.stringMatching(/^links\.ackBaseUrl: must be an https URL/),
    ]);
    expect(issuesFor(links('https://ack.example.gov.uk/?x=1'))).toEqual([
      'links.ackBaseUrl: must have no query or fragment',
    ]);
  });

  it('refuses an ack base URL too long for a 60-character link with a 64-bit MAC', () => {
    // 60 - "/a/" (3) - 24 characters of token (6 + 4 + 8 bytes, base64url) leaves 33 for the base.
    const longest = `https://${'a'.repeat(25)}`; // 33 characters
    expect(parseConfig({ ...EXAMPLE_CONFIG, ...links(longest) }).links.ackBaseUrl).toBe(longest);
    expect(issuesFor(links(`${longest}a`))).toEqual([
      expect.stringMatching(/^links\.ackBaseUrl: the ack base URL .* is too long/),
    ]);
  });
});

describe('rules and reminder plans a council sets', () => {
  const overrides = {
    rules: {
      'cp-visit': { clock: { unit: 'weeks', amount: 2 } },
      assessment: { enabled: false },
    },
    ruleSettings: { nation: 'wales' as const, ladoNotification: 'one-working-day' as const },
    reminderPlans: {
      'core-group': {
        steps: [
          { key: 'b1wd', at: { kind: 'before', workingDays: 1 }, to: [{ role: 'team-manager' }] },
        ],
      },
    },
  };

  it('reach AUTHORITY_CONFIG as the rule engine’s overrides and the plans’ overrides', () => {
    // Act
    const json = JSON.parse(authorityConfig(parseConfig({ ...EXAMPLE_CONFIG, ...overrides })));

    // Assess
    expect(json.rules).toEqual({
      nation: 'wales',
      ladoNotification: 'one-working-day',
      rules: overrides.rules,
    });
    expect(json.reminderPlans).toEqual(overrides.reminderPlans);
  });

  it('are what the Lambdas’ engine runs', () => {
    // Act
    const engine = makeCaseEngine(
      JSON.parse(authorityConfig(parseConfig({ ...EXAMPLE_CONFIG, ...overrides }))),
    );

    // Assess
    expect(engine.rules.get('cp-visit')?.clock).toEqual({ unit: 'weeks', amount: 2 });
    expect(engine.rules.get('assessment')).toBeUndefined();
    expect(engine.rules.get('lado-notification')?.clock).toEqual({
      unit: 'working-days',
      amount: 1,
    });
    expect(engine.plans['core-group']?.steps.map((s) => s.key)).toEqual(['b1wd']);
  });

  it('refuses overrides too large for a Lambda’s environment, saying why', () => {
    // Prepare: a long title on every rule's plan.
    const title = 'x'.repeat(400);
    const reminderPlans = Object.fromEntries(
      [
        'cp-visit',
        'cla-visit',
        'core-group',
        'assessment',
        'referral-decision',
        'lado-response',
        'disagreement',
        'co-working-review',
      ].map((id) => [id, { title }]),
    );

    // Act / Assess
    const config = parseConfig({ ...EXAMPLE_CONFIG, reminderPlans });
    expect(() => authorityConfig(config)).toThrow(ConfigError);
    expect(() => authorityConfig(config)).toThrow(
      new RegExp(`more than the ${AUTHORITY_CONFIG_MAX_BYTES} a Lambda's 4 KB environment`),
    );
  });
});

describe('configuration errors name the field and say what is wrong', () => {
  it.each([
    [
      { division: 'wales' },
      'division: must be one of "england-and-wales", "scotland", "northern-ireland"',
    ],
    [{ preset: 'camden' }, 'preset: must be one of "southampton", "norfolk"'],
    [{ deployment: 'Example Borough' }, 'deployment: must be 3–32 lower-case letters'],
    [
      { officeHours: { '1': { open: '9am', close: '17:00' } } },
      'officeHours.1.open: must be a 24-hour local time',
    ],
    [
      { officeHours: { '1': { open: '17:00', close: '09:00' } } },
      'officeHours.1: open must be earlier than close',
    ],
    [
      { officeHours: { '8': { open: '09:00', close: '17:00' } } },
      'officeHours.8: "8" is not an ISO weekday',
    ],
    [
      { teamHours: { 'Building Bridges': {} } },
      'teamHours.Building Bridges: team ids are lower-case kebab-case',
    ],
    [{ closures: ['2026-02-30'] }, 'closures.0: is not a real calendar date'],
    [{ email: { from: 'not-an-address' } }, 'email.from: must be an email address'],
    [{ alarmEmail: '' }, 'alarmEmail: must be an email address'],
    [{ sms: {} }, 'sms: give either originationIdentityArn or senderId'],
    [
      { sms: { senderId: 'Example Borough' } },
      'sms.senderId: must be 3–11 capital letters or digits',
    ],
    [
      { sms: { originationIdentityArn: 'arn:aws:sns:eu-west-2:111122223333:x' } },
      'sms.originationIdentityArn: must be an sms-voice ARN',
    ],
    [
      { links: { caseUrlTemplate: 'https://cases.example.gov.uk/cases' } },
      'links.caseUrlTemplate: must contain the placeholder {caseId}',
    ],
    [
      { links: { caseUrlTemplate: 'http://cases.example.gov.uk/{caseId}' } },
      'links.caseUrlTemplate: must be an https URL',
    ],
    [{ logRetentionDays: 100 }, "logRetentionDays: must be one of CloudWatch's retention values"],
    [{ fallbackContact: undefined }, 'fallbackContact: is required'],
    [{ fallbackContact: {} }, 'fallbackContact.email: must be an email address: the duty inbox'],
    [
      { fallbackContact: { email: 'duty.inbox@example.gov.uk', phone: '07700 900123' } },
      'fallbackContact.phone: must be an E.164 phone number',
    ],
    [{ env: { region: 'London' } }, 'env.region: must be an AWS region'],
    [
      { rules: { 'cp-visit': { clock: { unit: 'fortnights', amount: 1 } } } },
      'rules: rule "cp-visit" clock.unit: Invalid option',
    ],
    [
      { rules: { 'joint-supervision': { reminders: [] } } },
      'rules: rule "joint-supervision" reminders: reminder steps are set under reminderPlans.joint-supervision',
    ],
    [{ ruleSettings: { nation: 'scotland' } }, 'ruleSettings.nation: Invalid option'],
    [{ reminderPlans: { 'core-grp': {} } }, 'reminderPlans: "core-grp": no rule "core-grp"'],
    [
      { reminderPlans: { 'core-group': { steps: [{ key: 'd', at: { kind: 'late' }, to: [] }] } } },
      'reminderPlans: "core-group" steps.0.at.kind',
    ],
  ])('%j', (patch, expected) => {
    expect(issuesFor(patch).join('\n')).toContain(expected);
  });

  it('a bad rule and a bad reminder plan are both reported at once', () => {
    // Act
    const issues = issuesFor({
      rules: { 'cp-visit': { clock: { amount: 0 } } },
      reminderPlans: { 'cp-visit': { invite: 'yes' } },
    });

    // Assess
    expect(issues).toEqual([
      'rules: rule "cp-visit" clock.amount: amount must be positive',
      'reminderPlans: "cp-visit" invite: Invalid input: expected boolean, received string',
    ]);
  });

  it('names missing required fields', () => {
    const { links: _links, ...withoutLinks } = EXAMPLE_CONFIG;
    expect(() => parseConfig(withoutLinks)).toThrow(/links: is required/);
  });

  it('rejects unknown keys (a typo must not be silently ignored)', () => {
    expect(issuesFor({ alarmEmial: 'x@example.gov.uk' }).join('\n')).toMatch(
      /Unrecognized key.*alarmEmial/,
    );
  });

  it('reports every bad field at once, in one readable message', () => {
    // Act
    const error = (() => {
      try {
        parseConfig(
          { ...EXAMPLE_CONFIG, division: 'x', alarmEmail: 'y' },
          'timescales.config.json',
        );
      } catch (e) {
        return e as ConfigError;
      }
    })();
    // Assess
    expect(error?.message).toMatch(
      /^Invalid timescales\.config\.json:\n {2}- division: .*\n {2}- alarmEmail: /,
    );
  });

  it('says so when the file is missing or not JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'timescales-config-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "deployment": ');
    expect(() => loadConfig(join(dir, 'missing.json'))).toThrow(/Cannot read .*missing\.json/);
    expect(() => loadConfig(bad)).toThrow(/bad\.json is not valid JSON/);
  });
});
