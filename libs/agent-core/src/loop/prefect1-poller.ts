import { isVersionConflict } from '../control-plane/agent-api.js';
import { startTimeOf, type FlowRunMetadata } from '../runs/flow-run.js';
import { serializedState, SCHEDULED_TYPE } from '../runs/states.js';
import { asRecord } from '../runs/flow-run.js';
import { loopIntervalMs, nextLoopIndex } from './backoff.js';
import type { PollContext } from './poll-context.js';

const PREFETCH_MS = 10_000;
const RETRY_BUFFER_MS = 3_000;

/**
 * Prefect 1's protocol, for servers without the extensions: `get_runs_in_queue` (10 s prefetch)
 * → metadata query → sleep until the start time → Submitted (losers of the race skip silently)
 * → spawn. Backoff 0.25 s … 10 s while idle; a poke wakes it.
 */
export async function runPrefect1Loop(ctx: PollContext): Promise<void> {
  const submitting = new Set<string>();
  let index = 0;
  let polls = 0;
  while (!ctx.signal.aborted) {
    const found = await pollOnce(ctx, submitting);
    index = nextLoopIndex(index, found > 0);
    polls += 1;
    ctx.onPoll?.(polls);
    if (ctx.maxPolls !== undefined && polls >= ctx.maxPolls) break;
    const ms = loopIntervalMs(index);
    ctx.logger.debug(`Sleeping flow run poller for ${ms / 1000} seconds...`);
    await ctx.waker.sleep(ms, ctx.signal);
  }
  // Runs still waiting for their start time are not ours yet: nothing to hand back.
}

async function pollOnce(ctx: PollContext, submitting: Set<string>): Promise<number> {
  const capacity = ctx.supervisor.capacity - submitting.size;
  if (capacity <= 0) return 0;
  const snapshot = new Set(submitting);
  let ids: string[];
  try {
    const before = new Date(Date.now() + PREFETCH_MS).toISOString();
    ids = await ctx.api.getRunsInQueue({ before, labels: ctx.labels, tenant_id: ctx.tenantId }, { signal: ctx.signal });
  } catch (error) {
    return failed(ctx, 'Failed to query for ready flow runs', error);
  }
  const fresh = ids.filter((id) => !snapshot.has(id) && !ctx.supervisor.has(id));
  ctx.logger.debug(fresh.length ? `Found ${fresh.length} ready flow run(s): ${fresh.join(', ')}` : 'No ready flow runs found.');
  if (fresh.length === 0) {
    ctx.health.pollSucceeded();
    return 0;
  }
  let runs: FlowRunMetadata[];
  try {
    runs = await ctx.api.flowRunMetadata(fresh, new Date(Date.now() - RETRY_BUFFER_MS).toISOString(), { signal: ctx.signal });
  } catch (error) {
    return failed(ctx, 'Failed to query for flow run metadata', error);
  }
  ctx.health.pollSucceeded();
  const now = Date.now();
  runs.sort((a, b) => startTimeOf(a, now) - startTimeOf(b, now));
  for (const run of runs.slice(0, capacity)) {
    submitting.add(run.id);
    void deploy(ctx, run).finally(() => submitting.delete(run.id));
  }
  return runs.length;
}

function failed(ctx: PollContext, what: string, error: unknown): number {
  if (ctx.signal.aborted) return 0;
  const reason = (error as Error).message;
  ctx.health.pollFailed(reason);
  ctx.logger.error(`${what}: ${reason}`);
  return 0;
}

async function deploy(ctx: PollContext, run: FlowRunMetadata): Promise<void> {
  const wait = startTimeOf(run, Date.now()) - Date.now();
  if (wait > 0 && (await sleepUnlessAborted(wait, ctx.signal))) return;
  if (ctx.signal.aborted) return;
  if (run.state && SCHEDULED_TYPE.has(run.state)) {
    try {
      const previous = asRecord(run.serialized_state);
      await ctx.api.setFlowRunStates([{ flow_run_id: run.id, version: run.version, state: serializedState('Submitted', 'Submitted for execution', previous) }]);
      run.version += 1;
    } catch (error) {
      if (isVersionConflict(error)) {
        ctx.logger.debug(`Flow run ${run.id} was already submitted by another agent: ${(error as Error).message}`);
      } else {
        ctx.logger.error(`Could not mark flow run ${run.id} as Submitted: ${(error as Error).message}`);
      }
      return;
    }
  }
  await ctx.supervisor.start(run);
}

function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish(false), ms);
    const onAbort = () => finish(true);
    function finish(aborted: boolean) {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      resolve(aborted);
    }
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
