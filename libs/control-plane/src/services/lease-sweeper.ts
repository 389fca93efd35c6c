import { SWEEP_BATCH } from '../store/lease-sweep.js';
import type { Store } from '../store/store.js';
import { isoNow } from '../time.js';
import { intervalService, type BackgroundService } from './service.js';

/** A tick sweeps at most this many batches (10,000 runs); the next tick goes on. */
const MAX_BATCHES_PER_TICK = 100;

export interface LeaseSweeperOptions {
  store: Store;
  intervalMs: number;
  maxAttempts: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Reschedules runs whose agent stopped renewing their lease (Failed after `maxAttempts`), batch
 * after batch until none is left, and marks the server alive on every tick so a restart can tell
 * how long the server was down.
 */
export function leaseSweeper(o: LeaseSweeperOptions): BackgroundService {
  return intervalService('lease-sweeper', o.intervalMs, async () => {
    await o.store.markAlive(isoNow());
    await sweepUntilDone(o);
  }, (err) => o.log('error', `Lease sweep failed: ${(err as Error).message}`));
}

/**
 * Sweeps batch after batch while batches come back full (at most MAX_BATCHES_PER_TICK), letting
 * requests in between batches; returns how many runs were swept.
 */
export async function sweepUntilDone(o: Pick<LeaseSweeperOptions, 'store' | 'maxAttempts' | 'log'>): Promise<number> {
  let total = 0;
  for (let batch = 0; batch < MAX_BATCHES_PER_TICK; batch += 1) {
    const swept = await o.store.sweepExpiredLeases(isoNow(), o.maxAttempts);
    for (const r of swept) o.log('warn', `Flow run ${r.flowRunId} lost its agent's lease (attempt ${r.attempt}): ${r.action}`);
    total += swept.length;
    if (swept.length < SWEEP_BATCH) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return total;
}

/** At start: add the time the server was down (since the last alive mark) to every live lease. */
export async function forgiveDowntime(store: Store, log: LeaseSweeperOptions['log']): Promise<number> {
  const now = isoNow();
  const previous = await store.markAlive(now);
  if (!previous) return 0;
  const downtime = Date.parse(now) - Date.parse(previous);
  if (downtime <= 0) return 0;
  const n = await store.extendLeases(downtime);
  if (n > 0) log('info', `Extended ${n} live lease(s) by ${Math.round(downtime / 1000)} s of server downtime`);
  return downtime;
}
