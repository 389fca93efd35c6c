import { median, newStore, percentile, round, startAgent, startServer, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/**
 * Agent start-up (the anchors' T6: agent exec → ready to claim ≤ 150 ms): the real CLI, started
 * as the service files start it, against a running server, N times in a row; each start is
 * timed from exec to its "Waiting for flow runs..." line, which the agent prints once it has
 * loaded, read its config and registered, right before its first claim. Each agent is stopped
 * (SIGTERM) before the next starts; the first start warms the page cache and is not counted.
 */
export const agentStartUp: Scenario = {
  name: 'agent-start-up',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const n = smoke ? 2 : 10;
    const store = await newStore(kind);
    const server = await startServer(store);
    try {
      const times: number[] = [];
      for (let i = 0; i <= n; i += 1) {
        const agent = await startAgent(server.url);
        await agent.stop('SIGTERM');
        if (i > 0) times.push(agent.readyMs);
      }
      const m = median(times);
      log(`agent start-up (${kind}): median ${round(m, 0)} ms over ${n} starts`);
      return [
        {
          scenario: `agent-start-up/${kind}`,
          metric: 'agent start-up: exec → ready to claim (registered)',
          value: round(m, 0),
          unit: 'ms',
          target: '≤ 150 ms (T6)',
          met: m <= 150,
          note: `median of ${n}, min ${round(Math.min(...times), 0)}, p90 ${round(percentile(times, 90), 0)}`,
        },
      ];
    } finally {
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
