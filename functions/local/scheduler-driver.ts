/**
 * Local mode's `Scheduler`: timers live in a timer store (gsi2, by fire time; `npm start` keeps
 * it in its DynamoDB Local's `scheduler` database, apart from the service's); a poller fires
 * those due (every second at most) through the same timer handler as AWS, in fire-time order,
 * and deletes each after it succeeds (in batches). Timers due at the same instant fire concurrently (at
 * most `concurrency` in flight; one case's timers one after another, in name order), and
 * every timer of an earlier instant finishes before any later one starts. Concurrency needs
 * no extra care for exactly-once: each send is claimed with a conditional write. Timers survive a restart in the store, so whatever came
 * due while the process was down fires at the next poll. A simulated clock lets
 * `POST /local/clock` move time forward, firing in order everything that falls due.
 */
import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { acknowledgeBySms } from '#functions/alerts/acknowledge-alert.js';
import { ackDeps } from '#functions/alerts/wiring.js';
import { SesEmailChannel } from '#functions/fire/channels/ses.js';
import { makeHandler } from '#functions/fire/handler.js';
import { buildFireDeps } from '#functions/fire/wiring.js';
import type { Log } from '#kernel/ports.js';
import type { Timer, TimerPayload } from '#kernel/timers.js';
import { DynamoTimerStore, type StoredTimer } from '#platform/dynamodb/timer-store.js';
import type { AuthorityConfig } from '#schemas/authority.js';
import { type LocalMessaging, localMessaging } from './local-messaging.js';
import { LocalOutbox, type LocalRoutes, makeLocalRoutes } from './outbox.js';

/** A clock that runs from a settable instant at real speed; moves forward only. */
export class SimulatedClock {
  private offsetMs: number;

  constructor(
    start?: Date,
    private readonly wall: () => number = Date.now,
  ) {
    this.offsetMs = start === undefined ? 0 : start.getTime() - wall();
  }

  now(): Date {
    return new Date(this.wall() + this.offsetMs);
  }

  /** Moves the clock to `to` (never backwards). */
  set(to: Date): void {
    if (to.getTime() > this.now().getTime()) this.offsetMs = to.getTime() - this.wall();
  }
}

export interface LocalSchedulerDriverOptions {
  store: DynamoTimerStore;
  clock: SimulatedClock;
  /** Runs one timer (the timer handler); set later with `onFire` when wiring is circular. */
  fire?: (payload: TimerPayload) => Promise<unknown>;
  /** @default 500 ms (≤ 1 s) */
  pollMs?: number;
  /** Failed firings before a timer is parked as dead. @default 5 */
  maxAttempts?: number;
  /** Timers of one instant in flight at once (1: strictly one at a time). @default 32 */
  concurrency?: number;
  /**
   * Waits for what an instant's firings set going (delivery receipts, their follow-ups)
   * before the clock moves on. @default nothing to wait for
   */
  settle?: () => Promise<void>;
  /**
   * Timers read from the index per round; the lanes drain at the end of each round, so a
   * burst at one instant fires in fewer, fuller rounds. @default 1000 (one query's most)
   */
  pageSize?: number;
  log?: Log;
}

export class LocalSchedulerDriver {
  private fire: ((payload: TimerPayload) => Promise<unknown>) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  /** Names scheduled while a batch fires: not deleted blindly after it (see `fireDueBy`). */
  private touched: Set<string> | undefined;

  constructor(private readonly options: LocalSchedulerDriverOptions) {
    this.fire = options.fire;
  }

  onFire(fire: (payload: TimerPayload) => Promise<unknown>): void {
    this.fire = fire;
  }

  async schedule(timers: Timer[]): Promise<void> {
    for (const t of timers) this.touched?.add(t.name);
    await this.options.store.put(timers);
  }

  async cancel(names: string[]): Promise<void> {
    await this.options.store.delete(names);
  }

  /** Starts polling; the first poll fires whatever came due while the process was down. */
  start(): void {
    if (this.timer !== undefined) return;
    const pollMs = Math.min(this.options.pollMs ?? 500, 1000);
    void this.tick();
    this.timer = setInterval(() => void this.tick(), pollMs);
    this.timer.unref?.();
  }

  async stop(): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
    await this.queue.catch(() => undefined);
  }

  /** Fires every timer due by the clock's now, earliest first. */
  tick(): Promise<{ fired: number }> {
    return this.serial(() => this.fireDueBy(() => this.options.clock.now(), false));
  }

  /**
   * Moves the simulated clock to `target`, firing in order every timer due by then (including
   * timers that firing creates, such as deferrals and digests); each fires with the clock at
   * its own time.
   */
  advanceTo(target: Date): Promise<{ fired: number }> {
    return this.serial(async () => {
      const result = await this.fireDueBy(() => target, true);
      this.options.clock.set(target);
      return result;
    });
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async fireDueBy(limit: () => Date, moveClock: boolean): Promise<{ fired: number }> {
    const concurrency = Math.max(1, this.options.concurrency ?? 32);
    const pageSize = Math.max(1, this.options.pageSize ?? 1000);
    let fired = 0;
    const failedThisRound = new Set<string>();
    for (let guard = 0; guard < 100_000; guard++) {
      const due = await this.options.store.due(limit(), pageSize, failedThisRound);
      const first = due[0];
      if (first === undefined) break;
      // One instant at a time: what a firing schedules (at this instant or earlier) is read
      // by the next query, before anything later.
      const instant = first.dueAt.getTime();
      const batch = due.filter((t) => t.dueAt.getTime() === instant);
      if (moveClock) this.options.clock.set(first.dueAt);
      const done: StoredTimer[] = [];
      const deleted: Promise<void>[] = [];
      const deletedEarly = new Set<string>();
      const touched = new Set<string>();
      this.touched = touched;
      try {
        await inLanes(batch, concurrency, async (timer) => {
          if (!(await this.fireOne(timer))) {
            failedThisRound.add(timer.name);
            return;
          }
          done.push(timer);
          // Deleted as it finishes (the store coalesces the deletes of concurrent firings). A
          // timer scheduled again under the same name before now is checked at the end; one
          // scheduled after is written after this delete, so it stays.
          if (touched.has(timer.name)) return;
          deletedEarly.add(timer.name);
          deleted.push(this.options.store.delete([timer.name]));
        });
        await this.options.settle?.();
      } finally {
        this.touched = undefined;
        await Promise.all(deleted);
        // Scheduled again while this batch fired (another case's EDT alert re-putting the
        // team's digest timer): deleted only if it is still the one that fired.
        for (const t of done) {
          if (deletedEarly.has(t.name) || !touched.has(t.name)) continue;
          const now = await this.options.store.get(t.name);
          if (now !== undefined && now.dueAt.getTime() === t.dueAt.getTime())
            await this.options.store.delete([t.name]);
        }
        fired += done.length;
      }
    }
    return { fired };
  }

  private async fireOne(timer: StoredTimer): Promise<boolean> {
    const log = this.options.log;
    if (this.fire === undefined)
      throw new Error('LocalSchedulerDriver: no fire function (call onFire)');
    try {
      await this.fire(timer.payload);
      return true;
    } catch (error) {
      const attempts = timer.attempts + 1;
      const dead = attempts >= (this.options.maxAttempts ?? 5);
      const retryAt = new Date(
        this.options.clock.now().getTime() + Math.min(60_000, 1000 * 2 ** attempts),
      );
      await this.options.store.recordFailure(timer.name, attempts, retryAt, dead);
      log?.error(dead ? 'timer dead after retries' : 'timer failed; will retry', {
        timer: timer.name,
        caseId: timer.payload.caseId,
        attempts,
        error: (error as Error).name,
        ...(dead ? { metric: 'TimerDead' } : {}),
      });
      return false;
    }
  }
}

/**
 * Runs `work` over `timers`, at most `limit` at once; timers of the same case run one after
 * another in their given order (a case's `due` and reminder timers of one instant keep the
 * order the serial driver gave them). Every lane finishes before the first error is thrown.
 */
async function inLanes(
  timers: readonly StoredTimer[],
  limit: number,
  work: (timer: StoredTimer) => Promise<void>,
): Promise<void> {
  const byCase = new Map<string, StoredTimer[]>();
  for (const t of timers) {
    const lane = byCase.get(t.payload.caseId);
    if (lane === undefined) byCase.set(t.payload.caseId, [t]);
    else lane.push(t);
  }
  const lanes = [...byCase.values()];
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, lanes.length) }, async () => {
    for (let lane = lanes[next++]; lane !== undefined; lane = lanes[next++]) {
      for (const timer of lane) await work(timer);
    }
  });
  const failure = (await Promise.allSettled(workers)).find((r) => r.status === 'rejected');
  if (failure !== undefined) throw failure.reason;
}

export interface LocalRemindersOptions {
  client: DynamoDBDocumentClient;
  tableName: string;
  /**
   * The scheduler stand-in's own store (`npm start`: the `scheduler` database of its DynamoDB
   * Local). @default the service's client and table
   */
  timers?: DynamoTimerStore;
  authority: AuthorityConfig;
  /** aws-ses-v2-local's address: emails go there (its web page shows them). */
  sesEndpoint: string;
  emailFrom?: string;
  /** Where the simulated clock starts. @default the wall clock */
  start?: Date;
  pollMs?: number;
  /** Timers of one instant fired at once. @default 32 */
  concurrency?: number;
  log?: Log;
  /**
   * The key ack links are signed with (with the authority's `links.ackBaseUrl`). Alerts are
   * tracked and escalated either way; SMS replies come in by `POST /local/sms-inbound`.
   */
  alertTokenKey?: string;
  /** Which provider's stand-ins send: `aws` (SES, the outbox's SMS) or GOV.UK Notify. @default aws */
  messaging?: 'aws' | 'notify';
  /**
   * The local server's address: Notify's callbacks are posted to it, invitation links point
   * at it. @default callbacks handed to the handler in this process; no invitation links
   */
  serverUrl?: string;
  /** The callbacks' bearer token. @default local mode's development token */
  notifyCallbackToken?: string;
  /** Delivery receipts (the `aws` mode's events) on. @default true */
  receipts?: boolean;
}

export interface LocalReminders {
  driver: LocalSchedulerDriver;
  clock: SimulatedClock;
  outbox: LocalOutbox;
  routes: LocalRoutes;
  /** GOV.UK Notify's callbacks and the invitations (the local server's `delivery` routes). */
  delivery: LocalMessaging['handler'];
  /** Waits for every delivery receipt in flight, and what it caused. */
  settled(): Promise<void>;
  /** The Notify stand-in's traffic (`messaging: 'notify'`): each request's time, 429s. */
  notifyTraffic: LocalMessaging['notifyTraffic'];
  /** Fires one timer payload through the handler (what the driver calls). */
  fire(payload: TimerPayload): Promise<unknown>;
  stop(): Promise<void>;
}

/**
 * Wires local mode's reminders through the same `buildFireDeps` as AWS, with local overrides:
 * the driver (the `Scheduler`, to hand to the events handler too), the simulated clock (its
 * `Clock`), SES against aws-ses-v2-local, SMS into the outbox. Call `driver.start()` to poll.
 */
export function makeLocalReminders(options: LocalRemindersOptions): LocalReminders {
  const clock = new SimulatedClock(options.start);
  const outbox = new LocalOutbox();
  const store = options.timers ?? new DynamoTimerStore(options.client, options.tableName);
  const driver = new LocalSchedulerDriver({
    store,
    clock,
    // One move of the clock carries a failed delivery through to the duty inbox.
    settle: () => messaging.settled(),
    ...(options.pollMs === undefined ? {} : { pollMs: options.pollMs }),
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const emailFrom = options.emailFrom ?? 'timescales@example.gov.uk';
  const ses = new SesEmailChannel(new SESv2Client({ endpoint: options.sesEndpoint }), {
    from: emailFrom,
  });
  const acks = ackDeps({
    client: options.client,
    tableName: options.tableName,
    authority: options.authority,
    scheduler: driver,
    clock,
  });
  const messaging = localMessaging({
    mode: options.messaging ?? 'aws',
    client: options.client,
    tableName: options.tableName,
    outbox,
    clock,
    // The outbox is the phone: the text is recorded there by the messaging's own wrapper.
    awsChannels: {
      email: ses,
      sms: { name: 'sms', send: async () => ({ messageId: `local-sms-${randomUUID()}` }) },
    },
    followUp: (payload) => handler(payload),
    acks,
    callbackBaseUrl: options.serverUrl,
    callbackToken: options.notifyCallbackToken,
    invitations:
      options.serverUrl === undefined || options.alertTokenKey === undefined
        ? undefined
        : { baseUrl: options.serverUrl, key: options.alertTokenKey },
    ...(options.receipts === undefined ? {} : { receipts: options.receipts }),
    ...(options.log === undefined ? {} : { log: options.log }),
  });
  const handler = makeHandler(
    buildFireDeps({
      client: options.client,
      tableName: options.tableName,
      authority: options.authority,
      scheduler: driver,
      channels: messaging.channels,
      emailFrom,
      clock,
      ...(options.log === undefined ? {} : { log: options.log }),
      // Local mode takes SMS replies (POST /local/sms-inbound): its SMS say "Reply YES".
      alerts: { tokenKey: options.alertTokenKey, replyYes: true },
    }),
  );
  driver.onFire(handler);
  const smsInbound =
    messaging.smsInbound ??
    (async (sms: { from: string; body: string }) => {
      const outcome = await acknowledgeBySms(sms, acks);
      return {
        status: outcome.status,
        ...('alert' in outcome ? { alertId: outcome.alert.alertId } : {}),
      };
    });
  return {
    driver,
    clock,
    outbox,
    routes: makeLocalRoutes({ outbox, driver, clock, smsInbound }),
    delivery: messaging.handler,
    settled: () => messaging.settled(),
    notifyTraffic: () => messaging.notifyTraffic(),
    fire: handler,
    stop: async () => {
      await driver.stop();
      await messaging.stop();
    },
  };
}
