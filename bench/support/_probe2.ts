import { makeCaseEngine } from '../../functions/use-cases/bind-engine.js';
import { eventStream, makeSigner, signedApiEvent, BENCH_SECRET } from './events.js';
import { memoryStores } from './memory-store.js';
import { makeHandler } from '../../functions/events/handler.js';
const engine = makeCaseEngine({ authority: 'x', division: 'england-and-wales', preset: 'southampton', links: { caseUrlTemplate: 'http://x/{caseId}' } });
const sign = makeSigner();
const stream = eventStream({ cases: 400, tag: 'p' });
const events = Array.from({ length: 4000 }, () => signedApiEvent(stream.next(), sign));
const { store, directory } = memoryStores();
const h = makeHandler({ webhookSecret: BENCH_SECRET, store, directory, engine, scheduler: { schedule: async () => {}, cancel: async () => {} }, clock: { now: () => new Date() } });
for (const e of events) await h(e);
const aggs = [];
for (let i = 0; i < 400; i++) aggs.push((await store.loadCase(`C-${1001 + i}`))!.aggregate);
const now = new Date();
const t = Date.now();
let n = 0;
while (Date.now() - t < 4000) { engine.planTimers(aggs[n++ % 400]!, now); }
const timers = engine.planTimers(aggs[0]!, now);
console.log(n, timers.length, aggs[0]!.deadlines.map(d => `${d.rule} ${d.status}`));
