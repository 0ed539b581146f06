/**
 * The App stack with every feature (the managers' pages included), as deployed.
 *
 * A function's environment holds only variables its code reads. Each function is bundled from
 * its entry as `cdk synth` bundles it, and every variable the stack sets on it must be named in
 * that bundle: a variable set but never read is another function's setting (a key's ARN, a
 * sender's identity) leaking into it. `functions/platform/config.ts` reads the environment by
 * parts so that a bundle names only the parts its wiring reads.
 *
 * Its resources keep the logical ids they were deployed with. A logical id is a resource's
 * identity in CloudFormation: under a new one the webhook secret and the alert-token key would
 * be generated afresh, the schedule group (with every pending timer) and the user pool
 * replaced, the fixed-name functions would clash with themselves and the retained log groups
 * be orphaned. Only Lambda permissions are left out of the list: one is recreated before the
 * old is removed, and nothing is lost.
 */
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { type EntryName, ESBUILD_OPTIONS, entryPath } from '#lib/bundling.js';
import type { StatelessStack } from '#lib/stateless-stack.js';
import deployed from './fixtures/stateless-logical-ids.json' with { type: 'json' };
import { EXAMPLE_WEB, synthStacks } from './helpers.js';

/** Read by the Node.js runtime itself, not by any code in a bundle. */
const READ_BY_THE_RUNTIME = new Set(['NODE_OPTIONS']);

let stack: StatelessStack;
let template: Template;

beforeAll(() => {
  ({ stateless: stack } = synthStacks({ web: EXAMPLE_WEB }));
  template = Template.fromStack(stack);
});

const FUNCTIONS = [
  'events',
  'read',
  'reminders',
  'alerts',
  'smsInbound',
  'receipts',
  'import',
  'web',
] as const;

const bundles = new Map<EntryName, Promise<string>>();

/** The minified code `cdk synth` would deploy for `entry` (bundled once per file). */
function bundle(entry: EntryName): Promise<string> {
  let code = bundles.get(entry);
  if (code === undefined) {
    code = bundleAnew(entry);
    bundles.set(entry, code);
  }
  return code;
}

async function bundleAnew(entry: EntryName): Promise<string> {
  const result = await build({
    ...ESBUILD_OPTIONS,
    entryPoints: [entryPath(entry)],
    outdir: 'out',
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles
    .filter((file) => file.path.endsWith('.js') || file.path.endsWith('.mjs'))
    .map((file) => file.text)
    .join('\n');
}

/** Whether the code names the variable (as `process.env.X`, a schema's key, a message). */
const names = (code: string, variable: string) => new RegExp(`\\b${variable}\\b`).test(code);

/** Each function's environment variable names, from the template. */
function environmentOf(name: (typeof FUNCTIONS)[number]): string[] {
  const fn = stack.functions[name];
  if (fn === undefined) throw new Error(`no ${name} function`);
  const id = (stack as Stack).getLogicalId(fn.function.node.defaultChild as never);
  return Object.keys(template.toJSON().Resources[id].Properties.Environment.Variables);
}

describe('each function’s environment', () => {
  it('covers every function', () => {
    expect(Object.keys(stack.functions).sort()).toEqual([...FUNCTIONS].sort());
  });

  it.each(FUNCTIONS)(
    '%s: every variable it is given is read by its bundle',
    async (name) => {
      // Prepare
      const code = await bundle(stack.functions[name]!.entry);
      // Act
      const unread = environmentOf(name).filter(
        (variable) => !READ_BY_THE_RUNTIME.has(variable) && !names(code, variable),
      );
      // Assess
      expect(unread, `${name} is given variables its bundle never reads`).toEqual([]);
    },
    60_000,
  );

  it.each(FUNCTIONS)(
    '%s: its bundle names no variable the stack gives only to other functions',
    async (name) => {
      // Prepare: every variable the stack sets on any function
      const all = new Set(FUNCTIONS.flatMap(environmentOf));
      const own = new Set(environmentOf(name));
      const code = await bundle(stack.functions[name]!.entry);
      // Act: a variable it names but is not given is missing from its environment, or is
      // read by a configuration part its wiring does not name
      const others = [...all].filter((variable) => !own.has(variable) && names(code, variable));
      // Assess
      expect(others, `${name}'s bundle names variables it is not given`).toEqual([]);
    },
    60_000,
  );
});

describe('logical ids', () => {
  it('every resource deployed keeps its logical id and type', () => {
    // Act
    const resources = template.toJSON().Resources as Record<string, { Type: string }>;
    // Assess
    const moved = Object.entries(deployed as Record<string, string>)
      .filter(([id, type]) => resources[id]?.Type !== type)
      .map(([id, type]) => `${id} (${type})`);
    expect(moved).toEqual([]);
  });
});
