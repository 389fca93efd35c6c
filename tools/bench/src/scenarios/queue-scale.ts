import { openStore, type Store } from '@prefect-ts/control-plane';
import { Api, median, newStore, nowMs, percentile, round, seedRuns, startServer, type ResultRow, type StoreLocation } from '../harness';
import { measureLeaseSweep } from './lease-sweep';
import { measureStoreClaims } from './store-claims';
import type { BenchOptions, Scenario } from './types';

/**
 * With 100,000 future and 10,000 due runs stored: server start-up time (process spawn →
 * "listening", the real CLI, median of 3 starts) and claim latency (sequential claim_flow_runs
 * of one run each, round trip seen by the client, 500 claims), then the lease sweep and the
 * same claims straight through the store (no HTTP).
 */
export const queueScale: Scenario = {
  name: 'queue-scale',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const future = smoke ? 2000 : 100_000;
    const due = smoke ? 200 : 10_000;
    const claims = smoke ? 50 : 500;
    const warmUp = smoke ? 10 : 500;
    const store = await newStore(kind);
    try {
      let server = await startServer(store);
      const api = new Api(server.url);
      const flowId = await api.createFlow(['/bin/true'], 'queue-scale');
      const template = await api.createRun(flowId, { scheduled_start_time: '2099-01-01T00:00:00.000Z' });
      await server.stop('SIGTERM');
      const t0 = nowMs();
      await seedRuns(store, template.id, future, due);
      log(`seeded ${future} future + ${due} due runs (${kind}) in ${round((nowMs() - t0) / 1000, 1)} s`);
      const starts: number[] = [];
      for (let i = 0; i < 3; i += 1) {
        server = await startServer(store);
        starts.push(server.startMs);
        if (i < 2) await server.stop('SIGTERM');
      }
      try {
        const live = new Api(server.url);
        const agentId = await live.registerAgent('bench-claimer');
        const doc = `mutation($input: claim_flow_runs_input!) { claim_flow_runs(input: $input) { flow_runs { id version name state parameters run_config labels scheduled_start_time flow { id name storage run_config version } } lease_seconds } }`;
        const latencies: number[] = [];
        // the floor: a query that touches no table, sent between the claims so that both see
        // the same moments of the machine
        const floor: number[] = [];
        for (let i = 0; i < warmUp + claims; i += 1) {
          const t = nowMs();
          const data = await live.gql(doc, { input: { agent_id: agentId, labels: [], limit: 1 } });
          const t1 = nowMs();
          await live.gql('{ server_info { version } }');
          const t2 = nowMs();
          if (data.claim_flow_runs.flow_runs.length !== 1) throw new Error('a claim returned no run although due runs are stored');
          if (i >= warmUp) {
            latencies.push(t1 - t);
            floor.push(t2 - t1);
          }
        }
        const p50 = percentile(latencies, 50);
        const p99 = percentile(latencies, 99);
        const startMedian = median(starts);
        log(`queue scale (${kind}): claim p50 ${round(p50)} ms p99 ${round(p99)} ms (trivial query p50 ${round(percentile(floor, 50))} p99 ${round(percentile(floor, 99))} ms); server start ${starts.map((s) => round(s, 0)).join(', ')} ms`);
        const scenario = `queue-scale/${kind}`;
        await server.stop('SIGTERM');
        return [
          { scenario, metric: `claim latency p99 (${future} future + ${due} due stored)`, value: round(p99), unit: 'ms', target: '≤ 5 ms', met: p99 <= 5, note: `p50 ${round(p50)} ms, n=${claims}, HTTP round trip, after ${warmUp} warm-up claims` },
          { scenario, metric: 'floor: trivial query { server_info } p50 / p99', value: `${round(percentile(floor, 50))} / ${round(percentile(floor, 99))}`, unit: 'ms', note: 'same server and client, sent between the claims' },
          { scenario, metric: `server start-up, ${future + due} runs stored`, value: round(startMedian, 0), unit: 'ms', target: '≤ 1000 ms', met: startMedian <= 1000, note: `CLI spawn → listening, median of ${starts.map((s) => round(s, 0)).join('/')}` },
          ...(await inProcess(store, async (opened, tenantId) => [
            ...(await measureLeaseSweep(opened, tenantId, scenario)),
            // after the sweep, which puts the runs it recovers back in the queue
            ...(await measureStoreClaims(opened, tenantId, scenario, claims, warmUp)),
          ])),
        ];
      } finally {
        await server.stop('SIGTERM');
      }
    } finally {
      await store.dispose();
    }
  },
};

/** Opens the (stopped) server's store in this process for `fn`, with its default tenant. */
async function inProcess(location: StoreLocation, fn: (store: Store, tenantId: string) => Promise<ResultRow[]>): Promise<ResultRow[]> {
  const store = await openStore({ dataDir: location.dataDir, databaseUrl: location.databaseUrl });
  try {
    return await fn(store, (await store.defaultTenant(false))?.id as string);
  } finally {
    await store.close();
  }
}
