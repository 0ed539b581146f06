/**
 * The production `Scheduler`: EventBridge Scheduler, implemented by the reminders work in
 * `functions/adapters/scheduler/`. This is the one seam the events handler wires it through.
 */
import type { Config } from '../commons/config.js';
import type { Scheduler } from './ports.js';

export async function productionScheduler(_cfg: Config): Promise<Scheduler> {
  throw new Error('the EventBridge Scheduler adapter is not wired yet (functions/adapters/scheduler)');
}
