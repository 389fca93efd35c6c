import type { Store } from '../store/store.js';
import { isoNow } from '../time.js';
import { intervalService, type BackgroundService } from './service.js';

export interface LeaseSweeperOptions {
  store: Store;
  intervalMs: number;
  maxAttempts: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/**
 * Reschedules runs whose agent stopped renewing their lease (Failed after `maxAttempts`), and
 * marks the server alive on every tick so a restart can tell how long the server was down.
 */
export function leaseSweeper(o: LeaseSweeperOptions): BackgroundService {
  return intervalService('lease-sweeper', o.intervalMs, async () => {
    const now = isoNow();
    await o.store.markAlive(now);
    for (const r of await o.store.sweepExpiredLeases(now, o.maxAttempts)) {
      o.log('warn', `Flow run ${r.flowRunId} lost its agent's lease (attempt ${r.attempt}): ${r.action}`);
    }
  }, (err) => o.log('error', `Lease sweep failed: ${(err as Error).message}`));
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
