import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ESBUILD_OPTIONS, entryPath, LAMBDA_BUNDLING, NOTIFY_BUNDLING } from '#lib/bundling.js';
import { TimescalesFunction } from '#lib/constructs/timescales-function.js';

describe('Lambda bundling options', () => {
  it('ESM for Node.js 22, module-first resolution, a require shim, minified with source maps, no Docker', () => {
    expect(LAMBDA_BUNDLING).toMatchObject({
      format: OutputFormat.ESM,
      target: 'node22',
      mainFields: ['module', 'main'],
      minify: true,
      sourceMap: true,
      forceDockerBundling: false,
    });
    // DynamoDB (needed on every request) is bundled; the clients loaded on first use and the
    // credential providers Lambda never reaches stay external.
    expect(LAMBDA_BUNDLING.externalModules).toEqual(
      expect.arrayContaining([
        '@aws-sdk/client-sesv2',
        '@aws-sdk/client-pinpoint-sms-voice-v2',
        '@aws-sdk/client-scheduler',
        '@aws-sdk/client-secrets-manager',
      ]),
    );
    expect(LAMBDA_BUNDLING.externalModules).not.toContain('@aws-sdk/*');
    expect(LAMBDA_BUNDLING.externalModules).not.toContain('@aws-sdk/client-dynamodb');
    expect(LAMBDA_BUNDLING.externalModules).not.toContain('@aws-sdk/lib-dynamodb');
    expect(LAMBDA_BUNDLING.banner).toMatch(/createRequire.*import\.meta\.url/);
  });

  it('a real synth bundles with the local esbuild into index.mjs + source map', () => {
    // Prepare: one function, bundling on (no `aws:cdk:bundling-stacks` override)
    const app = new App();
    const stack = new Stack(app, 'Bundle');
    new TimescalesFunction(stack, 'Reminders', {
      entry: entryPath('reminders'),
      description: 'bundling test',
      serviceName: 'timescales-reminders',
      onFailure: new sqs.Queue(stack, 'Dlq'),
    });
    // Act
    const assembly = app.synth();
    // Assess
    const assets = readdirSync(assembly.directory).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const assetDir = join(assembly.directory, assets[0]!);
    expect(existsSync(join(assetDir, 'index.mjs'))).toBe(true);
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    expect(code.startsWith(LAMBDA_BUNDLING.banner!)).toBe(true);
    // The DynamoDB client is inside the bundle; SES, SMS and the Scheduler are loaded on first
    // use only (a dynamic import, never a static one). GOV.UK Notify's official client (with
    // axios and form-data, ~280 KB) is left out of this build (`NOTIFY_BUNDLING` takes it in),
    // and the bundle stays under 550 KB.
    expect(code).not.toMatch(/from\s*"@aws-sdk\/(client-dynamodb|lib-dynamodb)"/);
    expect(code).not.toMatch(/from\s*"@aws-sdk\/client-(sesv2|pinpoint-sms-voice-v2|scheduler)"/);
    expect(code).toMatch(/import\("@aws-sdk\/client-sesv2"\)/);
    expect(code).toMatch(/import\("notifications-node-client"\)/);
    expect(code).not.toContain('api.notifications.service.gov.uk');
    expect(code.length).toBeLessThan(550 * 1024);
  }, 60_000);

  it('the Notify build carries GOV.UK Notify’s client, and leaves out everything else the default leaves out', async () => {
    // Prepare: esbuild with the options the stack gives it for the Notify build
    const { build } = await import('esbuild');

    // Act
    const result = await build({
      ...ESBUILD_OPTIONS,
      external: NOTIFY_BUNDLING.externalModules,
      entryPoints: [entryPath('reminders')],
      write: false,
      outdir: 'out',
      logLevel: 'silent',
    });

    // Assess
    const code = result.outputFiles.find((f) => !f.path.endsWith('.map'))?.text ?? '';
    expect(code).not.toMatch(/import\("notifications-node-client"\)/);
    expect(code).toContain('api.notifications.service.gov.uk');
    // The SDK clients loaded on first use stay out of this build too.
    expect(code).not.toMatch(/from\s*"@aws-sdk\/client-(sesv2|pinpoint-sms-voice-v2|scheduler)"/);
    expect(code).toMatch(/import\("@aws-sdk\/client-sesv2"\)/);
    expect(code).toMatch(/import\("@aws-sdk\/client-scheduler"\)/);
  }, 60_000);
});
