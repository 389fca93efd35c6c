import type { Store } from '@prefect-ts/control-plane';
import { nowMs, percentile, round, type ResultRow } from '../harness';

/**
 * The claim without HTTP: the store's own `claimFlowRuns` (the statement the server runs for
 * claim_flow_runs) called in-process on the queue-scale store, the server stopped. This is what
 * the size of the queue costs; the HTTP figure adds the request's round trip on this machine.
 */
export async function measureStoreClaims(store: Store, tenantId: string, scenario: string, claims: number, warmUp: number): Promise<ResultRow[]> {
  const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent', name: 'bench-store-claimer' })).id;
  const latencies: number[] = [];
  for (let i = 0; i < warmUp + claims; i += 1) {
    const t = nowMs();
    const runs = await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: 1, leaseSeconds: 3600 });
    if (i >= warmUp) latencies.push(nowMs() - t);
    if (runs.length !== 1) throw new Error('a store claim returned no run although due runs are stored');
  }
  const [p50, p99] = [percentile(latencies, 50), percentile(latencies, 99)];
  return [
    { scenario, metric: 'claim latency p99 in the store (no HTTP)', value: round(p99), unit: 'ms', target: '≤ 5 ms', met: p99 <= 5, note: `p50 ${round(p50)} ms, n=${claims}, in-process, after ${warmUp} warm-up claims` },
  ];
}
