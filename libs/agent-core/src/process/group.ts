/** Signals to a whole process group (the run's leader was spawned detached, so pgid = pid). */

/** Sends `signal` to every process of the group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    // EPERM: a member changed credentials; nothing more we can do from here.
    return false;
  }
}

/** True while at least one process of the group is alive (zombies count until reaped). */
export function groupAlive(pgid: number): boolean {
  return signalGroup(pgid, 0);
}

export interface TerminateOptions {
  /** Milliseconds between SIGTERM and SIGKILL. */
  graceMs: number;
  /** Poll interval while waiting for the group to disappear. */
  pollMs?: number;
}

/**
 * SIGTERM to the group, SIGKILL after the grace period if anyone is left. Resolves once the
 * group is gone (or right after SIGKILL: the kernel finishes it, the parent reaps the leader).
 */
export async function terminateGroup(pgid: number, options: TerminateOptions): Promise<'gone' | 'killed'> {
  if (!signalGroup(pgid, 'SIGTERM')) return 'gone';
  const pollMs = options.pollMs ?? 50;
  const deadline = Date.now() + options.graceMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    if (!groupAlive(pgid)) return 'gone';
  }
  signalGroup(pgid, 'SIGKILL');
  return 'killed';
}
