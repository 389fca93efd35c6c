import type { Logger } from '../logging/logger.js';
import { loadReaperAddon, type ReaperAddon } from './reaper-native.js';
import { zombieChildren } from './reaper-proc.js';
import { isOwnChild, ownEveryChildProcess } from './reaper-registry.js';

/**
 * Reaps the orphans the kernel re-parents to the agent when it runs as PID 1 (a container
 * without --init) or as a child subreaper: a flow run's grandchildren whose parent exited.
 * Node only waits for the pids it spawned, so without this they stay zombies forever.
 *
 * PREFECT_TS_REAPER: unset/auto = on when the agent is PID 1; `off` = never; `subreaper` =
 * also become a child subreaper (PR_SET_CHILD_SUBREAPER) so orphans come to the agent rather
 * than to the host's init, and reap them.
 */
export type ReaperMode = 'off' | 'pid1' | 'subreaper';

export function reaperMode(env: NodeJS.ProcessEnv = process.env, pid = process.pid): ReaperMode {
  const setting = (env.PREFECT_TS_REAPER ?? 'auto').trim().toLowerCase();
  if (['off', '0', 'false', 'no'].includes(setting)) return 'off';
  if (pid === 1) return 'pid1';
  return setting === 'subreaper' || setting === 'on' ? 'subreaper' : 'off';
}

export interface ReaperOptions {
  logger: Logger;
  addon: ReaperAddon;
  /** Safety-net scan interval (SIGCHLD triggers a scan at once). */
  intervalMs?: number;
  /** Whose children to reap (tests); default this process. */
  pid?: number;
}

export class Reaper {
  private timer?: NodeJS.Timeout;
  private scheduled = false;
  private reaped = 0;
  private readonly onSigchld = () => this.schedule();

  constructor(private readonly options: ReaperOptions) {}

  /** Orphans reaped so far. */
  get count(): number {
    return this.reaped;
  }

  start(): this {
    process.on('SIGCHLD', this.onSigchld);
    this.timer = setInterval(() => this.reapNow(), this.options.intervalMs ?? 1000);
    this.timer.unref();
    this.reapNow();
    return this;
  }

  /** Reaps every zombie child that libuv does not own; returns how many. */
  reapNow(): number {
    const { addon, logger } = this.options;
    let n = 0;
    for (const zombie of zombieChildren(this.options.pid ?? process.pid)) {
      if (isOwnChild(zombie.pid)) continue; // libuv reaps it and needs its status
      const done = addon.waitpidNoHang(zombie.pid);
      if (!done) continue;
      n++;
      logger.debug(`Reaped orphaned process ${done.pid} (${zombie.comm}, wait status ${done.status})`);
    }
    this.reaped += n;
    return n;
  }

  /** One last scan, then no more SIGCHLD listening or polling. */
  stop(): void {
    process.off('SIGCHLD', this.onSigchld);
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.reapNow();
  }

  /** SIGCHLD bursts (a whole group dying) coalesce into one scan. */
  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.reapNow();
    });
  }
}

/**
 * Starts the reaper when `reaperMode()` says so; undefined otherwise (then neither the addon
 * nor /proc is touched). A missing addon is a warning, not a reason to refuse to run flows.
 */
export function startReaper(logger: Logger, mode: ReaperMode = reaperMode()): Reaper | undefined {
  if (mode === 'off') return undefined;
  let addon: ReaperAddon;
  try {
    addon = loadReaperAddon();
  } catch (error) {
    logger.warning(`Cannot reap orphaned processes (${(error as Error).message}): flow runs' leftover processes may stay zombies`);
    return undefined;
  }
  if (mode === 'subreaper' && !addon.setChildSubreaper(true)) {
    logger.warning('prctl(PR_SET_CHILD_SUBREAPER) failed: orphans go to init as before');
  }
  ownEveryChildProcess();
  logger.info(mode === 'pid1' ? 'Running as PID 1: reaping orphaned processes' : 'Child subreaper: reaping orphaned processes');
  return new Reaper({ logger, addon }).start();
}
