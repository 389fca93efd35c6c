import { percentile, round, sleep, waitFor, withStampedRig, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/**
 * Run created → child spawned with an idle agent: server and agent (the real CLI) are separate
 * processes. Two moments end each sample:
 * - spawned: the agent's spawn of the child has returned, the child's exec done (stamped inside
 *   the agent by the preloaded harness/spawn-stamp); DESIGN.md's "child spawned" and the
 *   anchors' L1 "child spawn event";
 * - first command: the child (bash) appending $EPOCHREALTIME, which adds bash's own start-up.
 * Both count from the moment just before create_flow_run was sent (stricter than L1, which starts
 * at its answer; that figure is reported too). Runs are sequential and each finishes (Success)
 * before the next is created, so the agent is idle in its long poll every time. Also from each
 * run: the agent seeing its child exit (stamped too) → the server's end_time (the anchors' L6).
 */
export const dispatchLatency: Scenario = {
  name: 'dispatch-latency',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const n = smoke ? 20 : 500;
    return withStampedRig(kind, async ({ api, ledger, flowId }) => {
      const samples: { spawned: number; first: number; ack: number; final: number }[] = [];
      for (let i = 0; i < n + 5; i += 1) {
        const run = await api.createRun(flowId);
        // both moments are stamped where they happen, so how often the ledger is read does not
        // change the latency; polling gently keeps the harness from taking CPU from the others
        const [spawned, first] = await waitFor(() => {
          const lines = ledger.lines().filter((l) => l.id === run.id);
          const s = lines.find((l) => l.tag === 'spawned');
          const f = lines.find((l) => l.tag === 'start');
          return s && f ? [s, f] : undefined;
        }, 10_000, `run ${run.id} to start`, 20);
        const done = await waitFor(async () => { const r = await api.run(run.id); return r?.state === 'Success' && r; }, 10_000, `run ${run.id} to succeed`, 20);
        const exited = ledger.lines().find((l) => l.id === run.id && l.tag === 'exited');
        const final = exited && done.end_time ? Date.parse(done.end_time) - exited.atMs : Number.NaN;
        if (i >= 5) samples.push({ spawned: spawned.atMs - run.sentAt, first: first.atMs - run.sentAt, ack: spawned.atMs - run.ackAt, final }); // first 5 warm up
        await sleep(20);
      }
      const spawned = samples.map((s) => s.spawned);
      const first = samples.map((s) => s.first);
      const ack = samples.map((s) => s.ack);
      const final = samples.map((s) => s.final).filter(Number.isFinite);
      const [p50, p99] = [percentile(spawned, 50), percentile(spawned, 99)];
      log(`dispatch latency (${kind}, n=${n}): spawned p50 ${round(p50)} ms, p99 ${round(p99)} ms, max ${round(Math.max(...spawned))} ms; child's first command p50 ${round(percentile(first, 50))} ms`);
      const scenario = `dispatch-latency/${kind}`;
      const pair = (xs: number[]) => `${round(percentile(xs, 50))} / ${round(percentile(xs, 99))}`;
      return [
        { scenario, metric: 'created→spawned p50 (from send)', value: round(p50), unit: 'ms', target: '≤ 10 ms', met: p50 <= 10, note: `n=${samples.length}; spawned = the agent's spawn returned (exec done)` },
        { scenario, metric: 'created→spawned p99 (from send)', value: round(p99), unit: 'ms', target: '≤ 50 ms', met: p99 <= 50 },
        { scenario, metric: 'created→spawned max (from send)', value: round(Math.max(...spawned)), unit: 'ms' },
        { scenario, metric: "created→child's first command p50 / p99", value: pair(first), unit: 'ms', note: "from send; adds the child's own start-up (bash)" },
        { scenario, metric: 'ack→spawned p50 / p99', value: pair(ack), unit: 'ms', note: "anchors' L1: from create_flow_run's answer" },
        { scenario, metric: 'child exit → final state recorded p50 / p99', value: final.length ? pair(final) : 'n/a', unit: 'ms', target: 'p99 ≤ 50 ms (L6)', met: final.length === samples.length && percentile(final, 99) <= 50, note: `n=${final.length}; exit seen by the agent → the server's end_time (ms precision)` },
      ];
    });
  },
};
