import { makeCaseEngine } from '../../functions/use-cases/bind-engine.js';
import { eventStream, makeSigner, signedApiEvent, BENCH_SECRET } from './events.js';
import { memoryStores } from './memory-store.js';
import { makeHandler } from '../../functions/events/handler.js';
import { deserializeAggregate, serializeAggregate, deadlinesOf, toDeadlineRecord } from '../../functions/adapters/dynamodb/codec.js';
import { hashOf } from '../../functions/use-cases/ingest-event.js';
import { makeWebhookVerifier } from '../../functions/commons/webhook.js';
import { rawBody, parseJson } from '../../functions/commons/body.js';
import { fnv1a64 } from '../../functions/domain/reminders/plans.js';
const engine = makeCaseEngine({ authority: 'x', division: 'england-and-wales', preset: 'southampton', links: { caseUrlTemplate: 'http://x/{caseId}' } });
const sign = makeSigner();
const stream = eventStream({ cases: 400, tag: 'p' });
const events = Array.from({ length: 4000 }, () => signedApiEvent(stream.next(), sign));
const { store, directory } = memoryStores();
const h = makeHandler({ webhookSecret: BENCH_SECRET, store, directory, engine, scheduler: { schedule: async () => {}, cancel: async () => {} }, clock: { now: () => new Date() } });
for (const e of events) await h(e);
// collect aggregates
const aggs = [];
for (let i = 0; i < 400; i++) aggs.push((await store.loadCase(`C-${1001 + i}`))!.aggregate);
console.log('deadlines per case', aggs[0]!.deadlines.length, 'open', aggs[0]!.deadlines.filter(d=>d.status==='open').length, 'bytes', serializeAggregate(aggs[0]!).length);
const time = (name: string, fn: (a: any, i: number) => unknown, n = 4000) => { const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(aggs[i % aggs.length], i); console.log(name.padEnd(20), (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(1), 'µs'); };
const now = new Date();
const texts = aggs.map(serializeAggregate);
for (let r = 0; r < 2; r++) {
time('planTimers', (a) => engine.planTimers(a, now));
time('serialize', (a) => serializeAggregate(a));
time('deserialize', (_a, i) => deserializeAggregate(texts[i % texts.length]!));
time('JSON.parse only', (_a, i) => JSON.parse(texts[i % texts.length]!));
time('structuredClone', (a) => structuredClone(a));
time('projections', (a) => deadlinesOf(a).map(toDeadlineRecord).map((x) => JSON.stringify(x)));
time('hashOf', (_a, i) => hashOf(JSON.parse(events[i % 4000]!.body!)));
const v = makeWebhookVerifier(BENCH_SECRET);
time('verify', (_a, i) => v.verify(rawBody(events[i]!), events[i]!.headers));
time('fnv x10', () => { for (let j = 0; j < 10; j++) fnv1a64('C-1001|lado-referral:A-1'); });
}
