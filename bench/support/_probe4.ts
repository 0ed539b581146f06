import { makeCaseEngine } from '../../functions/use-cases/bind-engine.js';
import { eventStream, makeSigner, signedApiEvent, BENCH_SECRET } from './events.js';
import { memoryStores } from './memory-store.js';
import { makeHandler } from '../../functions/events/handler.js';
import { planReminders, DEFAULT_REMINDER_PLANS } from '../../functions/domain/reminders/plans.js';
import { planTimers, dueTimer } from '../../functions/domain/timers.js';
const engine = makeCaseEngine({ authority: 'x', division: 'england-and-wales', preset: 'southampton', links: { caseUrlTemplate: 'http://x/{caseId}' } });
const sign = makeSigner();
const stream = eventStream({ cases: 400, tag: `p` });
const events = Array.from({ length: 4000 }, () => signedApiEvent(stream.next(), sign));
const { store, directory } = memoryStores();
const h = makeHandler({ webhookSecret: BENCH_SECRET, store, directory, engine, scheduler: { schedule: async () => {}, cancel: async () => {} }, clock: { now: () => new Date() } });
for (const e of events) await h(e);
const agg = (await store.loadCase('C-1001'))!.aggregate;
const time = (name: string, fn: () => unknown, n = 20000) => { for (let i=0;i<2000;i++) fn(); const t = process.hrtime.bigint(); for (let i = 0; i < n; i++) fn(); console.log(name.padEnd(40), (Number(process.hrtime.bigint() - t) / 1e3 / n).toFixed(2), 'µs'); };
const cal = engine.calendar;
for (const d of agg.deadlines.filter(d => d.status === 'open')) {
  const plan = (DEFAULT_REMINDER_PLANS as any)[d.rule];
  time(`planReminders ${d.rule}`, () => planReminders(d as any, cal, plan));
  time(`dueTimer ${d.rule}`, () => dueTimer(d, agg, engine));
}
time('planTimers whole', () => engine.planTimers(agg, new Date()));
time('planTimers due only', () => planTimers(agg, engine));
import { reminderTimerName, fnv1a64 } from '../../functions/domain/reminders/plans.js';
const dd = agg.deadlines[1]!;
time('reminderTimerName', () => reminderTimerName(dd, 'b10wd'));
time('fnv1a64', () => fnv1a64(`${dd.caseId}|${dd.id}`));
time('regex', () => dd.caseId.replace(/[^0-9A-Za-z-_]/g, '_').slice(0, 14));
