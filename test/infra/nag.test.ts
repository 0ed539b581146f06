import { App, Stack, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { addNag, addTimescales, nagPacks } from '#lib/app.js';
import { loadConfig } from '#lib/config.js';
import { testApp } from './helpers.js';

/** Every finding of both packs over the app, as `rule @ construct path` lines. */
function findings(app: App): string[] {
  return nagPacks(app).flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.flatMap((v) =>
        v.violatingResources.map((r) => `${v.ruleName} @ ${r.constructPath}: ${v.description}`),
      ),
  );
}

function acknowledgements(root: IConstruct): { path: string; id: string; reason: string }[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

describe('cdk-nag (AwsSolutions + Serverless) over the whole app', () => {
  it('reports nothing unacknowledged for the committed configuration', () => {
    // Prepare: what bin/app.ts builds, without esbuild
    const app = testApp();
    addTimescales(app, loadConfig('timescales.config.json'));
    // Act / Assess
    expect(findings(app)).toEqual([]);
  });

  it('reports nothing with an existing SMS pool', () => {
    const app = testApp();
    const config = loadConfig('timescales.config.json');
    addTimescales(app, {
      ...config,
      sms: {
        twoWay: true,
        originationIdentityArn:
          'arn:aws:sms-voice:eu-west-2:111122223333:pool/pool-0123456789abcdef',
      },
    });
    expect(findings(app)).toEqual([]);
  });

  it('reports nothing with GOV.UK Notify as the provider', () => {
    const app = testApp();
    const { email: _email, sms: _sms, ...config } = loadConfig('timescales.config.json');
    addTimescales(app, {
      ...config,
      messaging: { provider: 'notify' },
      notify: {
        emailTemplateId: '00000000-0000-4000-8000-0000000000e1',
        smsTemplateId: '00000000-0000-4000-8000-0000000000a1',
        twoWay: true,
      },
    });
    expect(findings(app)).toEqual([]);
  });

  it('synthesis with the packs registered as validation plugins succeeds', () => {
    const app = testApp();
    addTimescales(app, loadConfig('timescales.config.json'));
    addNag(app);
    expect(() => app.synth()).not.toThrow();
    // A full synthesis with both packs: ~10 s alone, several times that on a loaded CI box.
  }, 120_000);

  it('the packs do report findings (the check is live)', () => {
    const app = new App();
    new sqs.Queue(new Stack(app, 'Bare'), 'PlainQueue', {
      encryption: sqs.QueueEncryption.UNENCRYPTED,
    });
    addNag(app);
    expect(findings(app).join('\n')).toMatch(/AwsSolutions-SQS4/);
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS2/);
  });

  it('every acknowledgement is one of the reviewed set and carries a real reason', () => {
    const app = testApp();
    addTimescales(app, loadConfig('timescales.config.json'));
    const acks = acknowledgements(app);
    for (const ack of acks)
      expect(ack.reason.length, `${ack.id} @ ${ack.path}`).toBeGreaterThan(60);
    const ids = [
      ...new Set(
        acks.map((a) =>
          a.id
            .replace(/\[Resource::arn:.*:schedule\/.*\]$/, '[Resource::<schedule group>/*]')
            .replace(/\[Resource::arn:.*:s3:::.*-drop-.*\/\*\]$/, '[Resource::<drop bucket>/*]'),
        ),
      ),
    ];
    expect(ids.sort()).toEqual(
      [
        'AwsSolutions-APIG3',
        'AwsSolutions-APIG4',
        'AwsSolutions-COG3',
        'AwsSolutions-COG8',
        'AwsSolutions-IAM5[Resource::*]',
        'AwsSolutions-IAM5[Resource::<schedule group>/*]',
        'AwsSolutions-IAM5[Resource::<drop bucket>/*]',
        'AwsSolutions-S1',
        // aws-cdk-lib's own, on the access-log bucket's LogDeliveryWrite ACL (server access logs).
        'CloudFormation-Validate::W3045',
        'AwsSolutions-L1',
        'AwsSolutions-SMG4',
        'AwsSolutions-SQS3',
        'Serverless-LambdaDLQ',
        'Serverless-LambdaLatestVersion',
        'Serverless-SQSRedrivePolicy',
      ].sort(),
    );
  });
});
