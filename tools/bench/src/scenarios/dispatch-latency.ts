import { Api, Ledger, newStore, percentile, round, sleep, startAgent, startServer, waitFor, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/**
 * Run created → child spawned with an idle agent: server and agent (the real CLI) are separate
 * processes. The child's first action is bash appending $EPOCHREALTIME to a ledger; the latency is
 * that time minus the moment just before the create_flow_run request was sent (also reported
 * against the moment its answer was read). Runs are sequential and each finishes (Success) before
 * the next is created, so the agent is idle in its long poll every time.
 */
export const dispatchLatency: Scenario = {
  name: 'dispatch-latency',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const n = smoke ? 20 : 500;
    const store = await newStore(kind);
    const server = await startServer(store);
    const agent = await startAgent(server.url);
    try {
      const api = new Api(server.url);
      const ledger = new Ledger();
      const flowId = await api.createFlow(ledger.argv());
      const samples: { sent: number; ack: number }[] = [];
      for (let i = 0; i < n + 5; i += 1) {
        const run = await api.createRun(flowId);
        // The child stamps its own start, so how often the ledger is read does not change the
        // latency; polling gently keeps the harness from taking CPU from the server and agent.
        const line = await waitFor(() => ledger.lines().find((l) => l.id === run.id), 10_000, `run ${run.id} to start`, 20);
        await waitFor(async () => (await api.run(run.id))?.state === 'Success', 10_000, `run ${run.id} to succeed`, 20);
        if (i >= 5) samples.push({ sent: line.atMs - run.sentAt, ack: line.atMs - run.ackAt }); // first 5 warm up
        await sleep(20);
      }
      const sent = samples.map((s) => s.sent);
      const ack = samples.map((s) => s.ack);
      const [p50, p99] = [percentile(sent, 50), percentile(sent, 99)];
      log(`dispatch latency (${kind}, n=${n}): p50 ${round(p50)} ms, p99 ${round(p99)} ms, max ${round(Math.max(...sent))} ms`);
      const scenario = `dispatch-latency/${kind}`;
      return [
        { scenario, metric: 'created→spawned p50 (from send)', value: round(p50), unit: 'ms', target: '≤ 10 ms', met: p50 <= 10, note: `n=${samples.length}` },
        { scenario, metric: 'created→spawned p99 (from send)', value: round(p99), unit: 'ms', target: '≤ 50 ms', met: p99 <= 50 },
        { scenario, metric: 'created→spawned max (from send)', value: round(Math.max(...sent)), unit: 'ms' },
        { scenario, metric: 'ack→spawned p50 / p99', value: `${round(percentile(ack, 50))} / ${round(percentile(ack, 99))}`, unit: 'ms', note: 'negative = the child started before the create answer was read' },
      ];
    } finally {
      await agent.stop('SIGTERM');
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
