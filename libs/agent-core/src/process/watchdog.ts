import { spawn, type ChildProcess } from 'node:child_process';
import { ownChild } from './reaper-registry.js';

/**
 * One tiny `sh` per agent whose stdin is a pipe from the agent. The agent tells it which process
 * groups it runs (`+pgid` / `-pgid` lines). When the pipe closes without a clean `quit` (the agent
 * died, even by `kill -9`), it sends SIGTERM to every listed group and SIGKILL after a grace
 * period, so no flow run outlives a dead agent. It ignores INT/TERM/HUP and has its own process
 * group, so a Ctrl-C aimed at the agent does not reach it.
 */
const SCRIPT = `
trap '' INT TERM HUP
groups=""
while IFS= read -r line; do
  case "$line" in
    quit) exit 0 ;;
    +*) groups="$groups \${line#+}" ;;
    -*) p="\${line#-}"; next=""; for g in $groups; do [ "$g" = "$p" ] || next="$next $g"; done; groups="$next" ;;
  esac
done
[ -n "$groups" ] || exit 0
for g in $groups; do kill -TERM "-$g" 2>/dev/null; done
i=0
while [ "$i" -lt "$(( $1 * 10 ))" ]; do
  alive=""
  for g in $groups; do kill -0 "-$g" 2>/dev/null && alive="$alive $g"; done
  [ -n "$alive" ] || exit 0
  groups="$alive"; i=$((i + 1)); sleep 0.1
done
for g in $groups; do kill -KILL "-$g" 2>/dev/null; done
exit 0
`;

export interface ParentDeathWatchdog {
  readonly pid: number | undefined;
  watch(pgid: number): void;
  unwatch(pgid: number): void;
  /** Clean shutdown: the watchdog exits without killing anything. */
  close(): Promise<void>;
}

export function startWatchdog(graceSeconds = 5): ParentDeathWatchdog {
  const child: ChildProcess = spawn('/bin/sh', ['-c', SCRIPT, 'prefect-agent-watchdog', String(graceSeconds)], {
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  ownChild(child); // libuv reaps it: the PID-1 reaper must not
  let alive = true;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      alive = false;
      resolve();
    });
    child.once('error', () => {
      alive = false;
      resolve();
    });
  });
  child.stdin?.on('error', () => undefined);
  // The watchdog must never keep the agent's event loop alive on its own.
  child.unref();
  (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  const send = (line: string) => {
    if (alive && child.stdin?.writable) child.stdin.write(`${line}\n`);
  };
  return {
    pid: child.pid,
    watch: (pgid) => send(`+${pgid}`),
    unwatch: (pgid) => send(`-${pgid}`),
    close: async () => {
      send('quit');
      child.stdin?.end();
      await Promise.race([exited, new Promise((r) => setTimeout(r, 1000).unref())]);
    },
  };
}
