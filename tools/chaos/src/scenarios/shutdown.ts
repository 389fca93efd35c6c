import { Api, isAlive, Ledger, newStore, nowMs, round, sleep, startAgent, startServer, waitFor, type ResultRow } from '@prefect-ts/bench';
import { check, type ChaosOptions, type ChaosScenario } from './types';

/**
 * SIGTERM drains: the agent stops claiming at once, lets running runs finish and exits 0.
 * A second SIGTERM forces: children are terminated, their runs recorded Failed, exit soon after.
 */
export const shutdown: ChaosScenario = {
  name: 'shutdown',
  async run({ store: kind, log }: ChaosOptions) {
    const store = await newStore(kind);
    const server = await startServer(store);
    const rows: ResultRow[] = [];
    try {
      const api = new Api(server.url);
      const ledger = new Ledger();
      // drain
      let agent = await startAgent(server.url);
      const slow = await api.createFlow(ledger.argv('start', 'sleep 2'), 'drain');
      await api.createRuns(slow, 3);
      await waitFor(async () => (await api.runsOf(slow)).every((r) => r.state === 'Running'), 20_000, '3 runs Running', 50);
      agent.child.kill('SIGTERM');
      await sleep(200);
      const late = await api.createFlow(ledger.argv('start'), 'after-sigterm');
      const lateIds = await api.createRuns(late, 2);
      const exit = await Promise.race([agent.exit, sleep(15_000).then(() => undefined)]);
      const drained = (await api.runsOf(slow)).filter((r) => r.state === 'Success').length;
      const lateStates = await Promise.all(lateIds.map(async (id) => (await api.run(id))?.state));
      log(`SIGTERM drain (${kind}): exit ${exit?.code}, ${drained}/3 Success, runs created after SIGTERM: ${lateStates.join(', ')}`);
      rows.push(
        check('shutdown-drain', 'exit code after SIGTERM', String(exit?.code), exit?.code === 0, '0'),
        check('shutdown-drain', 'running runs finished Success', drained, drained === 3, '3'),
        check('shutdown-drain', 'runs claimed after SIGTERM', lateStates.filter((s) => s !== 'Scheduled').length, lateStates.every((s) => s === 'Scheduled'), '0'),
      );
      // force
      agent = await startAgent(server.url);
      const stuck = await api.createFlow(ledger.argv('stuck', 'exec sleep 300'), 'force');
      await api.createRuns(stuck, 3);
      await waitFor(async () => (await api.runsOf(stuck)).every((r) => r.state === 'Running') && ledger.lines().filter((l) => l.tag === 'stuck').length === 3, 20_000, '3 stuck runs Running', 50);
      const pids = ledger.lines().filter((l) => l.tag === 'stuck').map((l) => l.pid);
      agent.child.kill('SIGTERM');
      await sleep(300);
      const t0 = nowMs();
      agent.child.kill('SIGTERM');
      const forced = await Promise.race([agent.exit, sleep(15_000).then(() => undefined)]);
      const exitMs = nowMs() - t0;
      const states = (await api.runsOf(stuck)).map((r) => r.state);
      const alive = pids.filter(isAlive).length;
      log(`second SIGTERM (${kind}): exit ${forced?.code} after ${round(exitMs, 0)} ms, states ${states.join(', ')}, ${alive} children alive`);
      rows.push(
        check('shutdown-force', 'exit after the second SIGTERM', `${round(exitMs, 0)} ms (code ${forced?.code})`, forced !== undefined && exitMs <= 5000, '≤ 5 s'),
        check('shutdown-force', 'children left running', alive, alive === 0, '0'),
        check('shutdown-force', 'runs left Running/Submitted (ownerless)', states.filter((s) => s === 'Running' || s === 'Submitted').length, states.every((s) => s !== 'Running' && s !== 'Submitted'), '0', `states: ${[...new Set(states)].join(', ')}`),
      );
      for (const p of pids) if (isAlive(p)) process.kill(p, 'SIGKILL');
      return rows;
    } finally {
      await server.stop('SIGTERM');
      await store.dispose();
    }
  },
};
