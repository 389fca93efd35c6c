import { ChildProcess } from 'node:child_process';
import { appendFileSync } from 'node:fs';

/**
 * Preloaded into the agent (`node --require`) by the dispatch benchmark, and a no-op unless
 * BENCH_SPAWN_LEDGER names a ledger file: when a flow run's child has been spawned, appends
 * `<flow run id> spawned <epoch s.µs> <pid>` to it. `ChildProcess#spawn` returns once the
 * child's exec has succeeded (Node's 'spawn' event follows), so this is the moment the agent has
 * the child running, before the child's own start-up (bash takes 1–2 ms of its own here).
 */
export const SPAWN_STAMP_ENV = 'BENCH_SPAWN_LEDGER';

const ledger = process.env[SPAWN_STAMP_ENV];
if (ledger) {
  type Spawn = (this: ChildProcess, options: { envPairs?: string[] }) => unknown;
  const proto = ChildProcess.prototype as unknown as { spawn: Spawn };
  const original = proto.spawn;
  proto.spawn = function (this: ChildProcess, options) {
    const result = original.call(this, options);
    const atMs = performance.timeOrigin + performance.now();
    const runId = options.envPairs?.find((e) => e.startsWith('PREFECT__CONTEXT__FLOW_RUN_ID='))?.split('=')[1];
    if (runId && this.pid) appendFileSync(ledger, `${runId} spawned ${(atMs / 1000).toFixed(6)} ${this.pid}\n`);
    return result;
  };
}
