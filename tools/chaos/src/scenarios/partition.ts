import { Api, Ledger, newStore, sleep, startAgent, startProxy, startServer, waitFor, type ResultRow } from '@prefect-ts/bench';
import { lockedRunArgv } from './locked-run';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/**
 * Agent A talks to the server through a TCP proxy, agent B directly. While runs execute, the
 * proxy black-holes A's traffic for 5 s and for 60 s. Each run holds an flock while it lives, so
 * a second execution overlapping the first is recorded (`overlap`). A must stop its children
 * before the server re-offers them to B (fencing); B then runs them.
 */
export const partition: ChaosScenario = {
  name: 'partition',
  async run({ smoke, store: kind, log }: ChaosOptions) {
    const cuts = smoke ? [11] : [5, 60];
    const n = smoke ? 4 : 8;
    const store = await newStore(kind);
    const server = await startServer(store);
    const proxy = await startProxy(server.port);
    const rows: ResultRow[] = [];
    const a = await startAgent(proxy.url, ['--name', 'behind-proxy']);
    let b: Awaited<ReturnType<typeof startAgent>> | undefined;
    try {
      const api = new Api(server.url);
      for (const cut of cuts) {
        const ledger = new Ledger();
        const flowId = await api.createFlow(lockedRunArgv(ledger, smoke ? 12 : cut + 15), `partition-${cut}`);
        await api.createRuns(flowId, n);
        // all runs go to A first (B starts once A runs them all, and stops after each cut)
        await waitFor(async () => (await api.runsOf(flowId)).every((r) => r.state === 'Running'), 30_000, `${n} runs Running on A`, 100);
        b = await startAgent(server.url, ['--name', 'direct']);
        proxy.blackhole(true);
        await sleep(cut * 1000);
        proxy.blackhole(false);
        const final = await api.waitAllTerminal(flowId, (cut + 15) * 1000 + (smoke ? 30_000 : 60_000), 500);
        const lines = ledger.lines();
        const overlaps = lines.filter((l) => l.tag === 'overlap').length;
        const { duplicates } = ledger.check('start');
        const disturbed = final.filter((r) => r.attempt > 1).length;
        const ok = final.filter((r) => r.state === 'Success').length;
        await b.stop('SIGTERM', 5000);
        b = undefined;
        log(`partition ${cut} s (${kind}): ${overlaps} overlapping starts, ${disturbed} runs re-run (fenced), ${ok}/${n} Success`);
        const s = `partition-${cut}s/${kind}`;
        rows.push(
          check(s, 'overlapping executions of one run', overlaps, overlaps === 0, '0', `${duplicates.length} run(s) started twice, sequentially`),
          check(s, 'runs finished Success', ok, ok === n, `${n}`),
          { scenario: s, metric: 'runs disturbed (fenced and re-run)', value: disturbed, unit: '', note: cut < 10 ? 'goal R3: 0 for partitions shorter than the lease' : 'expected: all of A\'s runs' },
        );
      }
      return rows;
    } finally {
      await Promise.all([a.stop('SIGTERM', 5000), b?.stop('SIGTERM', 5000)]);
      await proxy.close();
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
