/** The local server in its own process (`local-server-child.ts`), for benches that load it over HTTP. */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Forks the server child with `env`; resolves with its URL once it listens. */
export function startServerChild(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  const profileDir = process.env.CPU_PROF;
  const child = fork(fileURLToPath(new URL('./local-server-child.ts', import.meta.url)), {
    env: { ...process.env, ...env },
    execArgv: [
      '--import',
      'tsx',
      ...(profileDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', profileDir]),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, url: (m as { url: string }).url }));
    child.once('exit', (code) => reject(new Error(`server child exited with ${code}`)));
  });
}

/** Asks the child to stop (its profile, if any, is written), then kills it if it lingers. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.send('stop');
  await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
  if (child.exitCode === null) child.kill('SIGKILL');
}
