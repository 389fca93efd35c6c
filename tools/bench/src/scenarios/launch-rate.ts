import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Api, cpuMs, Ledger, newStore, nowMs, percentile, round, rssBytes, spawnNode, SPAWN_STAMP_MODULE, startServer, startStampedAgent, type ResultRow } from '../harness';
import { LOOP_DELAY_ENV } from '../harness/spawn-stamp';
import type { BenchOptions, Scenario } from './types';

function readLoopDelay(file: string): { p50: number; p99: number; max: number } | undefined {
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { p50: number; p99: number; max: number }) : undefined;
}

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
 * Also measured under that load: how long after the agent saw a child exit its final state was
 * recorded (the anchors' L6 asks p99 ≤ 50 ms; judged in dispatch-latency, on an idle agent), and
 * the agent's event-loop delay and peak RSS (T4: p99 ≤ 5 ms, ≤ 80 MB).
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
      const ledger = new Ledger();
      const loopDelayFile = path.join(path.dirname(ledger.file), 'loop-delay.json');
      const agent = await startStampedAgent(server.url, ledger, { [LOOP_DELAY_ENV]: loopDelayFile });
      // the machine's own floor: an idle Node process's event-loop delay over the same window
      const bystanderFile = path.join(path.dirname(ledger.file), 'bystander.json');
      const bystander = spawnNode([SPAWN_STAMP_MODULE], { [LOOP_DELAY_ENV]: bystanderFile });
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
      await Promise.all([agent.stop('SIGTERM'), bystander.stop('SIGTERM')]);
      const loopDelay = readLoopDelay(loopDelayFile);
      const floor = readLoopDelay(bystanderFile);
      const exited = new Map(ledger.lines().filter((l) => l.tag === 'exited').map((l) => [l.id, l.atMs]));
      const lag = rows.flatMap((r) => (exited.has(r.id) && r.end_time ? [Date.parse(r.end_time) - (exited.get(r.id) as number)] : []));
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
        { scenario, metric: 'agent CPU per run', value: round(agentCpu / n, 2), unit: 'ms' },
        { scenario, metric: 'agent peak RSS during the launch', value: round(peakRss / 2 ** 20, 1), unit: 'MB', target: '≤ 80 MB (T4)', met: peakRss <= 80 * 2 ** 20, note: 'sampled every 200 ms' },
        { scenario, metric: 'agent event-loop delay p99 during the launch', value: loopDelay ? loopDelay.p99 : 'n/a', unit: 'ms', target: '≤ 5 ms (T4)', met: loopDelay ? loopDelay.p99 <= 5 : false, note: loopDelay ? `p50 ${loopDelay.p50}, max ${loopDelay.max}` : 'the agent wrote no histogram' },
        { scenario, metric: 'floor: an idle Node process\'s event-loop delay p99, same window', value: floor ? floor.p99 : 'n/a', unit: 'ms', note: floor ? `p50 ${floor.p50}, max ${floor.max}: waiting for a core` : 'the bystander wrote no histogram' },
        { scenario, metric: 'child exit → final state recorded p50 / p99, under this load', value: lag.length ? `${round(percentile(lag, 50), 1)} / ${round(percentile(lag, 99), 1)}` : 'n/a', unit: 'ms', note: `n=${lag.length}; L6 (p99 ≤ 50 ms) is judged on an idle agent, in dispatch-latency` },
      ];
    } finally {
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
