import { Api, isAlive, Ledger, newStore, nowMs, round, sleep, startAgent, startServer, waitFor } from '@prefect-ts/bench';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/**
 * `kill -9` of an agent running 20 runs: every run must be rescheduled (or failed) by the
 * server within 15 s, and no child of the dead agent may still run after its lease (10 s).
 */
export const killAgent: ChaosScenario = {
  name: 'kill-agent',
  async run({ smoke, store: kind, log }: ChaosOptions) {
    const n = smoke ? 5 : 20;
    const store = await newStore(kind);
    const server = await startServer(store);
    const agent = await startAgent(server.url);
    const ledger = new Ledger();
    let pids: number[] = [];
    try {
      const api = new Api(server.url);
      const flowId = await api.createFlow(ledger.argv('start', 'exec sleep 300'));
      const ids = await api.createRuns(flowId, n);
      await waitFor(async () => (await api.runsOf(flowId)).every((r) => r.state === 'Running') && ledger.check().distinct === n, 30_000, `${n} runs Running`, 100);
      pids = ledger.lines().map((l) => l.pid);
      agent.child.kill('SIGKILL');
      const killedAt = nowMs();
      let childrenGoneMs = Number.NaN;
      const recovered = new Map<string, number>();
      while (nowMs() - killedAt < 25_000 && (recovered.size < n || Number.isNaN(childrenGoneMs))) {
        if (Number.isNaN(childrenGoneMs) && pids.every((p) => !isAlive(p))) childrenGoneMs = nowMs() - killedAt;
        for (const r of await api.runsOf(flowId)) if (!recovered.has(r.id) && ['Scheduled', 'Failed'].includes(r.state)) recovered.set(r.id, nowMs() - killedAt);
        await sleep(100);
      }
      const worst = recovered.size === n ? Math.max(...recovered.values()) : Number.POSITIVE_INFINITY;
      log(`kill -9 agent (${kind}): ${recovered.size}/${n} runs recovered, last after ${round(worst, 0)} ms; children gone after ${round(childrenGoneMs, 0)} ms`);
      const s = `kill-agent/${kind}`;
      return [
        check(s, `runs rescheduled or failed after kill -9 (of ${n})`, recovered.size, recovered.size === ids.length, `${n}`),
        check(s, 'recovery time (last run)', `${round(worst / 1000, 2)} s`, worst <= 15_000, '≤ 15 s'),
        check(s, "dead agent's children gone after", `${round(childrenGoneMs / 1000, 2)} s`, childrenGoneMs <= 10_000, '≤ lease (10 s)', 'parent-death watchdog'),
      ];
    } finally {
      for (const p of pids) if (isAlive(p)) process.kill(p, 'SIGKILL');
      await agent.stop('SIGKILL');
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
