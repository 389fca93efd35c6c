import { ChildProcess } from 'node:child_process';
import { appendFileSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

/**
 * Preloaded into the agent (`node --require`) by the benchmarks; a no-op unless its variables
 * are set.
 *
 * BENCH_SPAWN_LEDGER names a ledger file. When a flow run's child has been spawned it appends
 * `<flow run id> spawned <epoch s.µs> <pid>`, and `<flow run id> exited <epoch s.µs> <pid>` when
 * the agent sees the child exit. `ChildProcess#spawn` returns once the child's exec has succeeded
 * (Node's 'spawn' event follows), so this is the moment the agent has the child running, before
 * the child's own start-up (bash takes 1–2 ms of its own here).
 *
 * BENCH_LOOP_DELAY names a JSON file: the agent's event-loop delay is written there when the
 * agent exits, as `{ p50, p99, max }` in ms: how much later than due a 5 ms timer ran (Node's
 * histogram holds the whole interval, so the 5 ms are taken off).
 */
export const SPAWN_STAMP_ENV = 'BENCH_SPAWN_LEDGER';
export const LOOP_DELAY_ENV = 'BENCH_LOOP_DELAY';

const ledger = process.env[SPAWN_STAMP_ENV];
if (ledger) {
  type Spawn = (this: ChildProcess, options: { envPairs?: string[] }) => unknown;
  type Emit = (this: ChildProcess, event: string | symbol, ...args: unknown[]) => boolean;
  const proto = ChildProcess.prototype as unknown as { spawn: Spawn; emit: Emit };
  const runs = new WeakMap<ChildProcess, string>();
  const stamp = (runId: string, tag: string, pid: number | undefined) =>
    appendFileSync(ledger, `${runId} ${tag} ${((performance.timeOrigin + performance.now()) / 1000).toFixed(6)} ${pid}\n`);
  const spawn = proto.spawn;
  proto.spawn = function (this: ChildProcess, options) {
    const result = spawn.call(this, options);
    const runId = options.envPairs?.find((e) => e.startsWith('PREFECT__CONTEXT__FLOW_RUN_ID='))?.split('=')[1];
    if (runId && this.pid) {
      stamp(runId, 'spawned', this.pid);
      runs.set(this, runId);
    }
    return result;
  };
  const emit = proto.emit;
  proto.emit = function (this: ChildProcess, event, ...args) {
    const runId = event === 'exit' ? runs.get(this) : undefined;
    if (runId) stamp(runId, 'exited', this.pid);
    return emit.call(this, event, ...args);
  };
}

const loopDelayFile = process.env[LOOP_DELAY_ENV];
if (loopDelayFile) {
  const resolutionMs = 5;
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  process.on('exit', () => {
    histogram.disable();
    const ms = (ns: number) => Math.max(0, Math.round((ns / 1e6 - resolutionMs) * 100) / 100);
    writeFileSync(loopDelayFile, JSON.stringify({ p50: ms(histogram.percentile(50)), p99: ms(histogram.percentile(99)), max: ms(histogram.max), count: histogram.count }));
  });
  // a bystander (`node spawn-stamp.js` with only BENCH_LOOP_DELAY set) idles until told to stop
  if (require.main === module) {
    setInterval(() => undefined, 60_000);
    process.on('SIGTERM', () => process.exit(0));
  }
}
