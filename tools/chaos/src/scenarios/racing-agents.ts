import { Api, Ledger, newStore, round, startAgent, startServer, nowMs } from '@prefect-ts/bench';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/** 4 agents race over N runs whose command appends its run id to an O_APPEND ledger. */
export const racingAgents: ChaosScenario = {
  name: 'racing-agents',
  async run({ smoke, store: kind, log }: ChaosOptions) {
    const n = smoke ? 200 : 5000;
    const store = await newStore(kind);
    const server = await startServer(store);
    const agents = await Promise.all([1, 2, 3, 4].map((i) => startAgent(server.url, ['--name', `racer-${i}`])));
    try {
      const api = new Api(server.url);
      const ledger = new Ledger();
      const flowId = await api.createFlow(ledger.argv());
      const t0 = nowMs();
      await api.createRuns(flowId, n);
      const rows = await api.waitAllTerminal(flowId, smoke ? 60_000 : 300_000, 500);
      const seconds = (nowMs() - t0) / 1000;
      const { distinct, duplicates } = ledger.check('start');
      const ok = rows.filter((r) => r.state === 'Success').length;
      const ids = new Set(rows.map((r) => r.id));
      const lost = [...ids].filter((id) => !ledger.check('start').counts.has(id)).length;
      log(`racing agents (${kind}): ${n} runs in ${round(seconds, 1)} s, ${distinct} executed, ${duplicates.length} duplicates, ${lost} lost, ${ok} Success`);
      const s = `racing-agents/${kind}`;
      return [
        check(s, `duplicate executions (4 agents, ${n} runs)`, duplicates.length, duplicates.length === 0, '0'),
        check(s, 'lost runs (never executed)', lost, lost === 0 && distinct === n, '0'),
        check(s, 'runs ending Success', ok, ok === n, `${n}`, `${round(n / seconds, 1)} runs/s overall`),
      ];
    } finally {
      await Promise.all(agents.map((a) => a.stop('SIGTERM')));
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
