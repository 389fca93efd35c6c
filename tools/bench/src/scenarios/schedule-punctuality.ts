import { percentile, round, sleep, waitFor, withStampedRig, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

/**
 * Schedule punctuality (the anchors' L4: |spawn − scheduled start| p99 ≤ 20 ms, never early by
 * more than 5 ms): N runs are created up front, scheduled 100 ms apart starting 2 s later, for an
 * idle agent (the real CLI) in its long poll. Each sample is the agent's spawn of the run's child
 * (stamped inside the agent, as in dispatch-latency) minus the run's scheduled_start_time; server,
 * agent and harness read the same clock. Each run ends long before the next is due.
 */
export const schedulePunctuality: Scenario = {
  name: 'schedule-punctuality',
  async run({ smoke, store: kind, log }: BenchOptions): Promise<ResultRow[]> {
    const n = smoke ? 10 : 200;
    const spacingMs = 100;
    return withStampedRig(kind, async ({ api, ledger, flowId }) => {
      const first = Math.ceil(Date.now() / 1000) * 1000 + 2000; // whole seconds: ISO strings keep ms
      const due = new Map<string, number>();
      for (let i = 0; i < n; i += 1) {
        const at = first + i * spacingMs;
        const run = await api.createRun(flowId, { scheduled_start_time: new Date(at).toISOString() });
        due.set(run.id, at);
      }
      if (Date.now() >= first) throw new Error('creating the runs took longer than the 2 s lead; the first were already due');
      await sleep(first + n * spacingMs - Date.now());
      const spawned = await waitFor(() => {
        const lines = ledger.lines().filter((l) => l.tag === 'spawned');
        return lines.length >= n && lines;
      }, 30_000, `all ${n} runs to be spawned`, 50);
      const offsets = spawned.map((l) => l.atMs - (due.get(l.id) as number));
      const late = offsets.map((o) => Math.abs(o));
      const earliest = Math.min(...offsets);
      const p99 = percentile(late, 99);
      log(`schedule punctuality (${kind}, n=${n}): |spawn − scheduled| p50 ${round(percentile(late, 50))} ms, p99 ${round(p99)} ms, earliest ${round(earliest)} ms`);
      const scenario = `schedule-punctuality/${kind}`;
      return [
        { scenario, metric: '|spawned − scheduled start| p50 / p99', value: `${round(percentile(late, 50))} / ${round(p99)}`, unit: 'ms', target: 'p99 ≤ 20 ms (L4)', met: p99 <= 20, note: `n=${n}, ${spacingMs} ms apart, idle agent; max ${round(Math.max(...late))}` },
        { scenario, metric: 'earliest spawn relative to its scheduled start', value: round(earliest), unit: 'ms', target: '≥ −5 ms (L4)', met: earliest >= -5, note: 'negative = early' },
      ];
    });
  },
};
