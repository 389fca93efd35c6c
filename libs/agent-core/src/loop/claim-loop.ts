import { serializedState } from '../runs/states.js';
import { jitteredDelay } from './backoff.js';
import type { PollContext } from './poll-context.js';

export interface ClaimLoopOptions {
  /** Long-poll duration per claim (server max 60). */
  waitSeconds: number;
  /** Runs per claim when `--limit` does not say less. */
  batch?: number;
}

/**
 * The extension protocol: `claim_flow_runs` moves due runs to Submitted atomically and
 * long-polls when nothing is due, so an idle agent starts a new run within milliseconds.
 */
export async function runClaimLoop(ctx: PollContext, options: ClaimLoopOptions): Promise<void> {
  const { api, supervisor, logger, health, waker, signal } = ctx;
  let polls = 0;
  let failures = 0;
  while (!signal.aborted) {
    if (supervisor.capacity === 0) {
      await waker.sleep(1000, signal);
      continue;
    }
    const limit = Math.min(supervisor.capacity, options.batch ?? 10);
    try {
      const result = await api.claimFlowRuns(
        { agent_id: ctx.agentId, labels: ctx.labels, limit, wait_seconds: options.waitSeconds },
        { timeoutMs: (options.waitSeconds + 15) * 1000, signal },
      );
      failures = 0;
      ctx.onLeaseSeconds?.(result.lease_seconds);
      health.pollSucceeded();
      if (result.flow_runs.length) logger.debug(`Claimed ${result.flow_runs.length} flow run(s): ${result.flow_runs.map((r) => r.id).join(', ')}`);
      for (const [i, run] of result.flow_runs.entries()) {
        // One fork per turn of the event loop. A fork blocks the agent for 1–2 ms, and ten in a
        // row held back everything else (answers, exits, heartbeats): in a 2,000-run launch the
        // event-loop delay p99 was 36–49 ms and a final state was recorded 130–170 ms (p99)
        // after the child's exit; one per turn: 8–12 ms and 37–41 ms (tools/bench launch-rate).
        if (i > 0) await new Promise((resolve) => setImmediate(resolve));
        void supervisor.start(run);
      }
    } catch (error) {
      if (signal.aborted) break;
      failures += 1;
      const reason = (error as Error).message;
      health.pollFailed(reason);
      logger.error(`Failed to claim flow runs: ${reason}`);
      // capped low: once the server is back, claiming resumes within ~1.5 s (R4)
      await waker.sleep(jitteredDelay(failures - 1, { baseMs: 250, capMs: 1500 }), signal);
    }
    polls += 1;
    ctx.onPoll?.(polls);
    if (ctx.maxPolls !== undefined && polls >= ctx.maxPolls) break;
  }
  if (signal.aborted) await releaseStrandedClaims(ctx, new Date(Date.now() - 2000).toISOString());
}

/**
 * Stopping aborts the long poll at once; the server may still have claimed a run for it in the
 * same instant. Such runs (Submitted, leased to us, not running here) go back to Scheduled.
 */
async function releaseStrandedClaims(ctx: PollContext, since: string): Promise<void> {
  await new Promise((r) => setTimeout(r, 250));
  try {
    for (const run of await ctx.api.ownSubmittedRuns(ctx.agentId, since)) {
      if (ctx.supervisor.has(run.id)) continue;
      await ctx.api.setFlowRunStates([{ flow_run_id: run.id, version: run.version, state: serializedState('Scheduled', 'Released: the agent stopped before starting this run') }]);
      ctx.logger.info(`Released flow run ${run.id}: claimed as the agent stopped, never started`);
    }
  } catch (error) {
    ctx.logger.warning(`Could not release runs claimed while stopping (their leases expire instead): ${(error as Error).message}`);
  }
}
