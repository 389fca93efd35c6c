import { ChildProcess } from 'node:child_process';

/**
 * Pids of the children libuv spawned and waits for itself. The reaper must never reap one of
 * them: libuv would lose its exit status and the ChildProcess would never emit 'exit'.
 * A pid stays listed until its 'exit' event, which comes after libuv has reaped it.
 */
const owned = new Set<number>();

export function ownChild(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || owned.has(pid)) return;
  owned.add(pid);
  child.once('exit', () => owned.delete(pid));
}

export function isOwnChild(pid: number): boolean {
  return owned.has(pid);
}

let hooked = false;

/**
 * Safety net while the reaper runs: every async child_process call (spawn, exec, execFile,
 * fork, and libraries built on them) goes through ChildProcess#spawn, so pids spawned outside
 * launcher.ts/watchdog.ts are listed too. (spawnSync waits for its child before returning.)
 */
export function ownEveryChildProcess(): void {
  const proto = ChildProcess.prototype as unknown as { spawn?: (...args: unknown[]) => unknown };
  const original = proto.spawn;
  if (hooked || typeof original !== 'function') return;
  hooked = true;
  proto.spawn = function (this: ChildProcess, ...args: unknown[]) {
    const result = original.apply(this, args);
    ownChild(this);
    return result;
  };
}
