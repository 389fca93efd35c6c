import { spawn } from 'node:child_process';
import { Api, cpuMs, newStore, nowMs, round, rssBytes, startAgent, startServer, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/** Sequential `child_process.spawn('/bin/true')`, each awaited to its exit: spawns per second. */
export async function rawSpawnRate(n: number): Promise<number> {
  const t0 = nowMs();
  for (let i = 0; i < n; i += 1) {
    await new Promise<void>((resolve, reject) => {
      const c = spawn('/bin/true', [], { stdio: 'ignore' });
      c.once('error', reject);
      c.once('exit', () => resolve());
    });
  }
  return (n * 1000) / (nowMs() - t0);
}

/**
 * Sustained launch rate: N `/bin/true` runs are created first, then the agent (real CLI, its own
 * process) is started and drains them; every run goes Submitted → Running → Success, all
 * persisted. Rate = N / (latest end_time − earliest start_time), both written by the server.
 */
export const launchRate: Scenario = {
  name: 'launch-rate',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const n = smoke ? 100 : 2000;
    const raw = await rawSpawnRate(n);
    const store = await newStore(kind);
    const server = await startServer(store);
    try {
      const api = new Api(server.url);
      const flowId = await api.createFlow(['/bin/true'], 'launch-rate');
      await api.createRuns(flowId, n);
      const agent = await startAgent(server.url);
      const cpu0 = cpuMs(agent.pid);
      let peakRss = 0;
      const sampler = setInterval(() => {
        try {
          peakRss = Math.max(peakRss, rssBytes(agent.pid));
        } catch {
          /* exited */
        }
      }, 200);
      let rows;
      try {
        rows = await api.waitAllTerminal(flowId, smoke ? 60_000 : 240_000, 200);
      } finally {
        clearInterval(sampler);
      }
      const agentCpu = cpuMs(agent.pid) - cpu0;
      await agent.stop('SIGTERM');
      const ok = rows.filter((r) => r.state === 'Success');
      const starts = rows.map((r) => Date.parse(r.start_time ?? '')).filter(Number.isFinite);
      const ends = rows.map((r) => Date.parse(r.end_time ?? '')).filter(Number.isFinite);
      const windowMs = Math.max(...ends) - Math.min(...starts);
      const rate = (n * 1000) / windowMs;
      const target = kind === 'sqlite' ? 200 : 100;
      log(`launch rate (${kind}, n=${n}): ${round(rate, 1)} runs/s (raw spawn ${round(raw, 1)}/s), ${ok.length}/${n} Success`);
      const scenario = `launch-rate/${kind}`;
      return [
        { scenario, metric: 'sustained launch rate (/bin/true, all states persisted)', value: round(rate, 1), unit: 'runs/s', target: `≥ ${target} runs/s`, met: rate >= target && ok.length === n, note: `n=${n}, ${ok.length} Success` },
        { scenario, metric: 'raw spawn(/bin/true) rate, same run', value: round(raw, 1), unit: 'spawns/s' },
        { scenario, metric: 'ratio launch rate / raw spawn rate', value: round(rate / raw, 3), unit: '', target: kind === 'sqlite' ? '≥ 0.26' : undefined, met: kind === 'sqlite' ? rate / raw >= 0.26 : undefined },
        { scenario, metric: 'agent CPU per run / peak RSS', value: `${round(agentCpu / n, 2)} ms / ${round(peakRss / 2 ** 20, 1)} MB`, unit: '' },
      ];
    } finally {
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
