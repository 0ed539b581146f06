/**
 * The production `Scheduler`: EventBridge Scheduler (`functions/adapters/scheduler`, owned by
 * the reminders work), configured from the Lambda environment. The one seam the events
 * handler wires it through; it fails fast when a scheduler variable is missing.
 */
import { makeEventBridgeScheduler } from '#adapters/scheduler/index.js';
import type { Config } from '#commons/config.js';
import type { Scheduler } from '#domain/ports.js';

export async function productionScheduler(cfg: Config): Promise<Scheduler> {
  return makeEventBridgeScheduler(cfg);
}
