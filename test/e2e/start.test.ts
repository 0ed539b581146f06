/**
 * `npm start`'s snags, in a child process as a newcomer meets them: a port already taken, a
 * port out of range, and `--help`.
 */
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childEnv, processesMentioning, run } from './support.js';

const LOCAL = ['--import', 'tsx', 'bin/local.ts'];

describe('npm start', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'timescales-busy-'));

  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('on a port already in use exits with one line naming PORT, and leaves no DynamoDB Local', async () => {
    // Prepare: something else listens on the port.
    const other: Server = createServer();
    await new Promise<void>((done) => other.listen(0, '127.0.0.1', done));
    const port = (other.address() as { port: number }).port;

    // Act
    const started = await run(process.execPath, LOCAL, {
      env: childEnv({ PORT: String(port), DATA_DIR: dataDir }),
    });
    await new Promise<void>((done) => other.close(() => done()));

    // Assess: DynamoDB Local would run as `java … -dbPath <DATA_DIR>`.
    expect(started.code).not.toBe(0);
    expect(started.stderr.trimEnd().split('\n')).toEqual([
      `port ${port} is in use: set PORT=<a free port> (0 picks one) or stop what is using it`,
    ]);
    expect(started.stdout).toBe('');
    expect(await processesMentioning(dataDir)).toEqual([]);
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it.each([
    ['-1', 'PORT must be ≥ 0 (got -1)'],
    ['70000', 'PORT must be ≤ 65535 (got 70000)'],
    ['3000x', 'PORT must be a port number from 0 to 65535 (got "3000x")'],
  ])('refuses PORT=%s with a range message', async (value, message) => {
    // Act
    const started = await run(process.execPath, LOCAL, {
      env: childEnv({ PORT: value, DATA_DIR: dataDir }),
    });

    // Assess
    expect(started.code).not.toBe(0);
    expect(started.stderr.trimEnd()).toBe(message);
  });

  it('without Java on the PATH says DynamoDB Local needs it, in one line', async () => {
    // Prepare: a PATH that holds node and nothing else.
    const bin = mkdtempSync(join(tmpdir(), 'timescales-nojava-'));
    symlinkSync(process.execPath, join(bin, 'node'));

    // Act
    const started = await run(process.execPath, LOCAL, {
      env: childEnv({ PATH: bin, PORT: '0', DATA_DIR: dataDir }),
    });
    rmSync(bin, { recursive: true, force: true });

    // Assess
    expect(started.code).not.toBe(0);
    expect(started.stderr.trimEnd().split('\n')).toEqual([
      'DynamoDB Local needs Java 17+ on the PATH: spawn java ENOENT',
    ]);
  });

  it('--help names every variable it reads and starts nothing', async () => {
    // Act
    const help = await run(process.execPath, [...LOCAL, '--help'], {
      env: childEnv({ DATA_DIR: dataDir }),
    });

    // Assess
    expect(help.code).toBe(0);
    for (const name of [
      'PORT',
      'HOST',
      'DATA_DIR',
      'WEBHOOK_SECRET',
      'ALERT_TOKEN_KEY',
      'TABLE_NAME',
      'AUTHORITY_CONFIG',
      'DYNAMODB_PORT',
      'SES_PORT',
    ]) {
      expect(help.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
