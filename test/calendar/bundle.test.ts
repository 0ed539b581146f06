import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('the calendar bundle Lambdas carry', () => {
  it('does not pull in date-holidays and stays under 100 KB', async () => {
    // Prepare
    const entry = fileURLToPath(
      new URL('../../functions/kernel/calendar/index.ts', import.meta.url),
    );

    // Act
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      format: 'esm',
      platform: 'node',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });

    // Assess
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => path.includes('node_modules'))).toEqual([]);
    expect(result.outputFiles[0]?.contents.byteLength).toBeLessThan(100 * 1024);
  });
});
