import { makeCaseEngine } from '../../functions/use-cases/bind-engine.js';
import { eventStream, makeSigner, signedApiEvent, BENCH_SECRET } from './events.js';
import { memoryStores } from './memory-store.js';
import { makeHandler } from '../../functions/events/handler.js';
const engine = makeCaseEngine({ authority: 'x', division: 'england-and-wales', preset: 'southampton', links: { caseUrlTemplate: 'http://x/{caseId}' } });
const sign = makeSigner();
const acc: Record<string, number> = {};
function wrap<T extends object>(o: T, name: string): T {
  return new Proxy(o, { get(t, p, r) { const v = Reflect.get(t, p, r); if (typeof v !== 'function') return v; return (...a: unknown[]) => { const s = process.hrtime.bigint(); const out = v.apply(t, a); const fin = () => { acc[`${name}.${String(p)}`] = (acc[`${name}.${String(p)}`] ?? 0) + Number(process.hrtime.bigint() - s); }; if (out instanceof Promise) return out.finally(fin); fin(); return out; }; } });
}
for (let run = 0; run < 8; run++) {
  for (const k of Object.keys(acc)) delete acc[k];
  const stream = eventStream({ cases: 400, tag: `p${run}` });
  const events = Array.from({ length: 4000 }, () => signedApiEvent(stream.next(), sign));
  const { store, directory } = memoryStores();
  const h = makeHandler({ webhookSecret: BENCH_SECRET, store: wrap(store, 'store'), directory: wrap(directory, 'dir'), engine: wrap(engine, 'engine'), scheduler: { schedule: async () => {}, cancel: async () => {} }, clock: { now: () => new Date() } });
  const s = process.hrtime.bigint();
  for (const e of events) await h(e);
  const total = Number(process.hrtime.bigint() - s);
  if (run >= 5) { console.log('total', (total / 4000 / 1e3).toFixed(1)); for (const [k, v] of Object.entries(acc)) console.log('  ', k.padEnd(24), (v / 4000 / 1e3).toFixed(1)); }
}
