import { SWEEP_BATCH, type Store } from '@prefect-ts/control-plane';
import { median, nowMs, round, sleep, type ResultRow } from '../harness';

/**
 * The lease sweep on the store that holds the queue-scale runs (opened in-process, the server
 * stopped): the store's
 * own sweep, the code the server's sweeper runs every second. Each round claims one full batch
 * with a lease of 0 s straight through the store and times the sweep that recovers it; an idle
 * tick (nothing expired) is timed too.
 */
export async function measureLeaseSweep(store: Store, tenantId: string, scenario: string, rounds = 3): Promise<ResultRow[]> {
  const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent', name: 'bench-sweep' })).id;
  const full: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const claimed = await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: SWEEP_BATCH, leaseSeconds: 0 });
    if (claimed.length !== SWEEP_BATCH) throw new Error(`only ${claimed.length} due runs left to sweep`);
    await sleep(5);
    const t = nowMs();
    const swept = await store.sweepExpiredLeases(new Date().toISOString(), 3);
    full.push(nowMs() - t);
    if (swept.length !== SWEEP_BATCH) throw new Error(`the sweep took ${swept.length} of ${SWEEP_BATCH} expired leases`);
  }
  const t = nowMs();
  const idle = await store.sweepExpiredLeases(new Date().toISOString(), 3);
  const idleMs = nowMs() - t;
  if (idle.length !== 0) throw new Error('an idle sweep found expired leases');
  const m = median(full);
  return [
    { scenario, metric: `lease sweep, one full batch (${SWEEP_BATCH} expired leases)`, value: round(m), unit: 'ms', target: '≤ 50 ms', met: m <= 50, note: `median of ${full.map((x) => round(x, 1)).join('/')}; idle tick ${round(idleMs)} ms` },
  ];
}
