import { cpuMs, descendants, newStore, round, rssBytes, sleep, startAgent, startProxy, startServer, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/**
 * An idle agent (the real CLI) connected through a counting TCP proxy: RSS sampled every second
 * and CPU (utime + stime from /proc) over 60 s, after 5 s of settling; HTTP requests it sent.
 */
export const idleAgent: Scenario = {
  name: 'idle-agent',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const seconds = smoke ? 5 : 60;
    const store = await newStore(kind);
    const server = await startServer(store);
    const proxy = await startProxy(server.port);
    const agent = await startAgent(proxy.url);
    try {
      await sleep(smoke ? 1000 : 5000);
      const cpu0 = cpuMs(agent.pid);
      const req0 = proxy.requests;
      const rss: number[] = [];
      for (let i = 0; i < seconds; i += 1) {
        rss.push(rssBytes(agent.pid));
        await sleep(1000);
      }
      const cpuPct = ((cpuMs(agent.pid) - cpu0) / (seconds * 1000)) * 100;
      const perMin = ((proxy.requests - req0) * 60) / seconds;
      const helpers = descendants(agent.pid).map((p) => ({ pid: p.pid, rss: rssBytes(p.pid), cmd: p.cmd.slice(0, 40) }));
      const maxRss = Math.max(...rss) / 2 ** 20;
      log(`idle agent (${kind}, ${seconds} s): RSS max ${round(maxRss, 1)} MB, CPU ${round(cpuPct, 3)} %, ${round(perMin, 1)} requests/min`);
      const scenario = `idle-agent/${kind}`;
      return [
        { scenario, metric: `agent RSS (max over ${seconds} s)`, value: round(maxRss, 1), unit: 'MB', target: '≤ 60 MB', met: maxRss <= 60, note: `helpers: ${helpers.map((h) => `${h.cmd.split(' ')[0]} ${round(h.rss / 2 ** 20, 1)} MB`).join(', ') || 'none'}` },
        { scenario, metric: `agent CPU (${seconds} s)`, value: round(cpuPct, 3), unit: '% of a core', target: '≤ 0.3 %', met: cpuPct <= 0.3, note: '/proc utime+stime, 10 ms ticks' },
        { scenario, metric: 'HTTP requests while idle', value: round(perMin, 1), unit: 'req/min', note: 'long-poll claim_flow_runs' },
      ];
    } finally {
      await agent.stop('SIGTERM');
      await proxy.close();
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
