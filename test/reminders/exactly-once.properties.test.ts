/**
 * Exactly-once over any sequence of deliveries of one out-of-hours alert's timers (the EDT
 * manager's 50% step, and its escalation to the senior manager), each delivered alone or at
 * the same time as the next, and each either finishing or dying — after its claim, or after
 * its sends and before their outcome was recorded — with acknowledgements in between and time
 * passing (a dead sender's claim expires after its 120 s lease):
 *
 * - no message is lost: once the timers are delivered again after the lease, every message
 *   planned went, and every claim is final (but an escalation's an acknowledgement made
 *   unneeded while its sender was dead);
 * - no message is doubled, except one in flight when its sender died (claimed and sent, its
 *   outcome not recorded): at most one more send for each such death;
 * - one alert per reminder and tier, however often and however concurrently it is fired;
 * - the trail holds one `reminder-sent` or `alert-sent … sent` line per send recorded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { acknowledgeAlert } from '#functions/alerts/acknowledge-alert.js';
import { type FireTimerDeps, fireTimer } from '#functions/fire/fire-timer.js';
import type { FiringRecord, FiringStore } from '#functions/fire/ports.js';
import type { TimerPayload } from '#kernel/timers.js';
import { lado, ladoCase, setup } from '#test/support/alerts.js';
import type { MemoryFiringStore } from '#test/support/firing.js';
import { at, RecordingChannel } from '#test/support/reminders.js';

const START = at('2026-05-23T03:30:00Z'); // the 50% step, Saturday 04:30 BST
const MINUTE = 60_000;
const P50: TimerPayload = {
  caseId: lado.caseId,
  deadlineId: lado.id,
  kind: 'reminder',
  version: 1,
  step: 'p50',
};

type Death = 'none' | 'after-claim' | 'after-send';
type Action =
  | { kind: 'deliver'; timer: 'p50' | 'esc2'; death: Death; together: boolean; wait: number }
  | { kind: 'ack' };

const action: fc.Arbitrary<Action> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('deliver' as const),
      timer: fc.constantFrom('p50' as const, 'esc2' as const),
      death: fc.constantFrom<Death>('none', 'none', 'after-claim', 'after-send'),
      together: fc.boolean(),
      wait: fc.integer({ min: 0, max: 40 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('ack' as const) }) },
);

class Died extends Error {}

async function play(actions: Action[]) {
  const t = setup(ladoCase(lado), START.toISOString());
  // Sends take a moment, so deliveries at the same time really overlap.
  const sms = new RecordingChannel('sms', 2);
  const email = new RecordingChannel('email', 2);
  const store = t.deps.reminder.store;
  /** Per claim (`reminder|person`): deaths with it sent and its outcome not recorded. */
  const inFlightAtDeath = new Map<string, number>();
  /** Messages sent whose outcome died with their sender. */
  let sentAndDied = 0;
  const claimOf = (k: { reminderId: string; personId: string }) => `${k.reminderId}|${k.personId}`;

  /** The deps of one delivery: its sender dies at `death`, or not. */
  const depsFor = (death: Death): FireTimerDeps => {
    const dying: FiringStore = {
      read: (...a) => store.read(...a),
      readDigest: (...a) => store.readDigest(...a),
      getAlerts: (...a) => store.getAlerts(...a),
      followedUp: (...a) => store.followedUp(...a),
      claim: async (...a) => {
        const result = await store.claim(...a);
        if (death === 'after-claim') throw new Died();
        return result;
      },
      record: async (record: FiringRecord) => {
        if (death !== 'after-send') return store.record(record);
        for (const f of record.finished) {
          inFlightAtDeath.set(claimOf(f.key), (inFlightAtDeath.get(claimOf(f.key)) ?? 0) + 1);
          sentAndDied += f.outcomes.filter((o) => o.state === 'sent').length;
        }
        throw new Died();
      },
    };
    const sending = { store: dying, channels: { sms, email } };
    return {
      ...t.deps,
      reminder: { ...t.deps.reminder, ...sending },
      escalation: { ...t.deps.escalation, ...sending },
    };
  };
  const escalation = () => t.scheduled.find((s) => s.payload.step === 'esc2')?.payload;
  const deliver = async (timer: 'p50' | 'esc2', death: Death) => {
    const payload = timer === 'p50' ? P50 : escalation();
    if (payload === undefined) return undefined;
    return fireTimer(payload, depsFor(death)).catch((error: unknown) => {
      if (!(error instanceof Died)) throw error;
      return undefined;
    });
  };

  const pending: Promise<unknown>[] = [];
  for (const a of actions) {
    if (a.kind === 'ack') {
      await Promise.all(pending.splice(0));
      const [alert] = t.store.alerts.values();
      if (alert !== undefined) await acknowledgeAlert(alert.alertId, 'api', t.ackDeps);
      continue;
    }
    pending.push(deliver(a.timer, a.death));
    if (a.together) continue;
    await Promise.all(pending.splice(0));
    t.clock.current = new Date(t.clock.now().getTime() + a.wait * MINUTE);
  }
  await Promise.all(pending.splice(0));

  // The scheduler delivers each timer again after the leases, until it is not in flight.
  for (const timer of ['p50', 'esc2'] as const) {
    if (timer === 'esc2' && escalation() === undefined) continue;
    for (let retry = 0; retry < 3; retry++) {
      t.clock.current = new Date(
        Math.max(t.clock.now().getTime(), START.getTime() + (timer === 'esc2' ? 30 : 0) * MINUTE) +
          5 * MINUTE,
      );
      const outcome = await deliver(timer, 'none');
      if (outcome === undefined || !('retryLater' in outcome) || !outcome.retryLater) break;
    }
  }
  return { t, sent: [...sms.sent, ...email.sent], inFlightAtDeath, sentAndDied, claimOf };
}

describe('exactly-once over deliveries that overlap, repeat and die', () => {
  it('loses nothing, doubles only a send in flight when its sender died, and raises one alert per tier', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 12 }), async (actions) => {
        const { t, sent, inFlightAtDeath, sentAndDied, claimOf } = await play(actions);
        // Every claim ever made is final — but an escalation's whose sender died and which an
        // acknowledgement then made unneeded (its timer, delivered again, stops).
        const claims = (t.deps.reminder.store as MemoryFiringStore).claims.items;
        const acknowledged = [...t.store.clocks.values()].some((c) => c.ack !== undefined);
        for (const [key, claim] of claims) {
          if (claim.state === 'claimed' && acknowledged && /\.esc[2f]b?\./.test(key)) continue;
          expect(['sent', 'failed'], key).toContain(claim.state);
        }
        // The EDT manager got the 50% step on both channels.
        const p50 = sent.filter((m) => m.meta.reminderId.includes('.p50.'));
        expect(new Set(p50.map((m) => m.channel))).toEqual(new Set(['sms', 'email']));
        // Per claim and channel: once, plus once for each death with it in flight.
        const counts = new Map<string, number>();
        for (const m of sent) {
          const key = `${claimOf(m.meta)}|${m.channel}`;
          counts.set(key, (counts.get(key) ?? 0) + 1);
        }
        for (const [key, n] of counts) {
          const claim = key.split('|').slice(0, 2).join('|');
          expect(n, key).toBeLessThanOrEqual(1 + (inFlightAtDeath.get(claim) ?? 0));
        }
        // One alert per reminder and tier.
        const alerts = [...t.store.alerts.values()].map((a) => `${a.reminderId}|${a.tier}`);
        expect(new Set(alerts).size).toBe(alerts.length);
        // A line in the trail for each send whose outcome was recorded.
        const lines = t.audit.entries.filter(
          (e) =>
            (e.kind === 'reminder-sent' && e.detail.via === 'edt') ||
            (e.kind === 'alert-sent' && e.detail.tier !== 1 && e.detail.status === 'sent'),
        );
        expect(lines).toHaveLength(sent.length - sentAndDied);
      }),
      { numRuns: 150 },
    );
  });
});
