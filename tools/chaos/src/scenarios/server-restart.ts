import { Api, Ledger, newStore, nowMs, round, sleep, startAgent, startServer, waitFor, type ResultRow } from '@prefect-ts/bench';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/**
 * The server is killed (SIGKILL) while runs are executing and restarted on the same port and
 * store after 10 s and after 60 s. The agent must survive, no run may be lost or run twice, no run
 * is reaped for the server's own downtime, and a run created once the server is ready must start
 * within 2 s.
 */
export const serverRestart: ChaosScenario = {
  name: 'server-restart',
  async run({ smoke, store: kind, log }: ChaosOptions) {
    const downs = smoke ? [3] : [10, 60];
    const n = smoke ? 4 : 10;
    const store = await newStore(kind);
    let server = await startServer(store);
    const port = server.port;
    const agent = await startAgent(server.url);
    const ledger = new Ledger();
    const rows: ResultRow[] = [];
    try {
      for (const down of downs) {
        const api = new Api(server.url);
        const flowId = await api.createFlow(ledger.argv('start', `sleep ${Math.min(down, 10) / 2 + 2}`), `restart-${down}`);
        await api.createRuns(flowId, n);
        await waitFor(async () => (await api.runsOf(flowId)).every((r) => r.state === 'Running'), 30_000, `${n} runs Running`, 100);
        server.child.kill('SIGKILL');
        await server.exit;
        await sleep(down * 1000);
        server = await startServer(store, { port });
        const readyAt = nowMs();
        const quick = await new Api(server.url).createFlow(ledger.argv('start'), `after-${down}`);
        const probe = await new Api(server.url).createRun(quick);
        const started = await waitFor(() => ledger.lines().find((l) => l.id === probe.id), 30_000, 'the first run after the restart to start', 5);
        const resumeMs = started.atMs - readyAt;
        const final = await new Api(server.url).waitAllTerminal(flowId, 60_000);
        await new Api(server.url).waitAllTerminal(quick, 30_000);
        const { duplicates } = ledger.check();
        const ok = final.filter((r) => r.state === 'Success').length;
        const reaped = final.filter((r) => r.attempt > 1).length;
        log(`server down ${down} s (${kind}): agent alive ${!agent.exited}, ${ok}/${n} Success, ${reaped} rescheduled, ${duplicates.length} duplicates, dispatch resumed ${round(resumeMs, 0)} ms after ready`);
        const s = `server-restart-${down}s/${kind}`;
        rows.push(
          check(s, 'agent survived', agent.exited ? 'exited' : 'alive', !agent.exited, 'alive'),
          check(s, `runs lost / run twice (of ${n} running)`, `${n - ok} / ${duplicates.length}`, ok === n && duplicates.length === 0, '0 / 0'),
          check(s, 'runs rescheduled because of the downtime', reaped, reaped === 0, '0'),
          check(s, 'server ready → next run spawned', `${round(resumeMs, 0)} ms`, resumeMs <= 2000, '≤ 2000 ms'),
        );
      }
      return rows;
    } finally {
      await agent.stop('SIGTERM');
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
