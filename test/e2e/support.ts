/**
 * Child processes for the newcomer's path: `npm start` (bin/local.ts) and the commands a reader
 * pastes, run the way a shell runs them, with their output collected.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The variables local mode reads, removed so a test's child sees only what the test sets. */
const LOCAL_VARIABLES = [
  'PORT',
  'HOST',
  'DATA_DIR',
  'WEBHOOK_SECRET',
  'ALERT_TOKEN_KEY',
  'TABLE_NAME',
  'AUTHORITY_CONFIG',
  'DYNAMODB_PORT',
  'SES_PORT',
  'BASE_URL',
];

/** This process's environment without local mode's variables, plus `extra`. */
export function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of LOCAL_VARIABLES) delete env[name];
  return { ...env, ...extra };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end (no shell unless `command` is one), collecting its output. */
export async function run(
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<Finished> {
  const child = spawn(command, args, { cwd: ROOT, env: options.env, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdin.end(options.input ?? '');
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** `npm start` as a reader runs it, in one Node process so that a signal reaches it. */
export function startLocal(env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'bin/local.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Resolves once the child prints `line`; rejects with its stderr if it exits first. */
export async function waitForLine(child: ChildProcess, line: string, timeoutMs = 90_000) {
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`no "${line}" within ${timeoutMs} ms: ${stderr}`)),
      timeoutMs,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes(line)) {
        clearTimeout(timer);
        ready();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`exited with ${code} before "${line}": ${stderr}`));
    });
  });
  return { stdout: () => stdout };
}

/** Stops a child with SIGTERM (its own shutdown stops DynamoDB Local), SIGKILL if it hangs. */
export async function stop(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Command lines of the running processes that mention `text` (e.g. a DATA_DIR). */
export async function processesMentioning(text: string): Promise<string[]> {
  const { stdout } = await run('ps', ['-eo', 'pid=,args='], { env: process.env });
  return stdout.split('\n').filter((line) => line.includes(text) && !line.includes('ps -eo'));
}
