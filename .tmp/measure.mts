import { build } from 'esbuild';
import { ENTRIES, ESBUILD_OPTIONS } from '/work/wt-law/lib/bundling.ts';

const entry =
  (ENTRIES as Record<string, string>).web ??
  Object.values(ENTRIES as Record<string, string>).find((e) => e.includes('web/'));
const r = await build({
  ...ESBUILD_OPTIONS,
  entryPoints: [entry as string],
  write: false,
  sourcemap: false,
  metafile: true,
  outdir: '/tmp/out',
});
const js = r.outputFiles.find((f) => f.path.endsWith('.js'))!;
console.log(entry, js.contents.length);
const inputs = Object.entries(
  r.metafile.outputs[Object.keys(r.metafile.outputs).find((k) => k.endsWith('.js'))!].inputs,
)
  .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
  .slice(0, 40);
for (const [k, v] of inputs) console.log(v.bytesInOutput, k);
