import { makeCaseEngine } from '../../functions/use-cases/bind-engine.js';
import { eventStream, makeSigner, signedApiEvent, BENCH_SECRET } from './events.js';
import { memoryStores } from './memory-store.js';
import { makeHandler } from '../../functions/events/handler.js';
const engine = makeCaseEngine({ authority: 'x', division: 'england-and-wales', preset: 'southampton', links: { caseUrlTemplate: 'http://x/{caseId}' } });
const sign = makeSigner();
for (let run = 0; run < 6; run++) {
const stream = eventStream({ cases: 400, tag: `p${run}` });
const events = Array.from({ length: 4000 }, () => signedApiEvent(stream.next(), sign));
const { store, directory } = memoryStores();
const h = makeHandler({ webhookSecret: BENCH_SECRET, store, directory, engine, scheduler: { schedule: async () => {}, cancel: async () => {} }, clock: { now: () => new Date() } });
const t = process.cpuUsage();
for (const e of events) await h(e);
const u = process.cpuUsage(t); console.log(((u.user+u.system)/4000).toFixed(1), 'µs');
}
