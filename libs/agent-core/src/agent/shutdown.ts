import type { Logger } from '../logging/logger.js';
import type { RunSupervisor } from '../runs/run-supervisor.js';

/** Shared stop flags between `LocalAgent.stop()` and the drain sequence. */
export interface StopControl {
  /** Aborted on the first stop: no new claims. */
  readonly claims: AbortController;
  /** Aborted when final states need not be retried any longer. */
  readonly giveUp: AbortController;
  /** Set on the first stop. */
  graceful?: boolean;
  forced: boolean;
  /** Notified on every stop call. */
  listeners: Set<() => void>;
}

function nextStop(control: StopControl): Promise<void> {
  return new Promise((resolve) => {
    const once = () => {
      control.listeners.delete(once);
      resolve();
    };
    control.listeners.add(once);
  });
}

export interface DrainOptions {
  supervisor: RunSupervisor;
  logger: Logger;
  control: StopControl;
  stopTimeoutMs: number;
  killGraceMs: number;
  /** How long to keep retrying final states once terminating (API away). */
  deliveryDeadlineMs?: number;
}

/**
 * After the poll loop ended: without a stop request (max polls) wait for the runs; after a
 * graceful stop give them `--stop-timeout`, then terminate their groups (SIGTERM, SIGKILL after
 * the grace) and record why; a forced stop kills them at once.
 */
export async function drainAndStop(options: DrainOptions): Promise<void> {
  const { supervisor, logger, control } = options;
  while (control.graceful === undefined && supervisor.size > 0) {
    await Promise.race([supervisor.waitIdle(2 ** 31 - 1), nextStop(control)]);
  }
  if (supervisor.size > 0 && !control.forced) {
    logger.info(`Waiting up to ${options.stopTimeoutMs / 1000} s for ${supervisor.size} running flow run(s) to finish...`);
    await Promise.race([supervisor.waitIdle(options.stopTimeoutMs), nextStop(control)]);
  }
  if (supervisor.size === 0) return;
  const forced = control.forced;
  const message = forced
    ? 'Terminated: the agent was stopped by a second signal'
    : `Terminated: the agent was stopped and the run did not finish within --stop-timeout (${options.stopTimeoutMs / 1000} s)`;
  logger.warning(`${forced ? 'Killing' : 'Terminating'} ${supervisor.size} flow run(s): ${message}`);
  const deadline = setTimeout(() => control.giveUp.abort(), options.deliveryDeadlineMs ?? (forced ? 3000 : options.killGraceMs + 10_000));
  const done = supervisor.shutdownAll(message, forced ? 0 : options.killGraceMs);
  await Promise.race([done, nextStop(control).then(() => supervisor.shutdownAll(message, 0))]);
  clearTimeout(deadline);
}
