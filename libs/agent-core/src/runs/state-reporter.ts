import { isTransient, isVersionConflict, type AgentApi } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';
import { jitteredDelay } from '../loop/backoff.js';
import { serializedState, type StateType } from './states.js';

export type ReportOutcome =
  /** Applied. */
  | { kind: 'applied' }
  /** The run changed under us (e.g. Cancelling); `state` is what it is now. */
  | { kind: 'conflict'; state: string | null }
  /** Rejected for another reason, or given up (agent stopping). */
  | { kind: 'failed'; message: string };

/**
 * Sets the states of one run with its current version (never a stale one). Transient failures
 * are retried with capped backoff until `signal` aborts, so final states reach an API that was
 * away for a while.
 */
export class StateReporter {
  constructor(
    private readonly api: Pick<AgentApi, 'setFlowRunStates' | 'runStates'>,
    private readonly runId: string,
    public version: number,
    private readonly logger: Logger,
    private readonly retry = { baseMs: 250, capMs: 5000 },
  ) {}

  async set(type: StateType, message: string, signal?: AbortSignal): Promise<ReportOutcome> {
    for (let attempt = 0; ; attempt += 1) {
      try {
        await this.api.setFlowRunStates([{ flow_run_id: this.runId, version: this.version, state: serializedState(type, message) }]);
        this.version += 1;
        return { kind: 'applied' };
      } catch (error) {
        if (isVersionConflict(error)) {
          const current = await this.refresh(signal);
          return current === undefined ? { kind: 'failed', message: (error as Error).message } : { kind: 'conflict', state: current };
        }
        if (!isTransient(error) || signal?.aborted) return { kind: 'failed', message: (error as Error).message };
        if (attempt === 0 || attempt % 10 === 0) {
          this.logger.warning(`Could not set flow run ${this.runId} to ${type} (${(error as Error).message}); retrying until the API answers`);
        }
        await sleep(jitteredDelay(attempt, this.retry), signal);
      }
    }
  }

  /** Re-reads state and version; undefined when the run is gone or the API cannot say. */
  async refresh(signal?: AbortSignal): Promise<string | null | undefined> {
    for (let attempt = 0; attempt < 20 && !signal?.aborted; attempt += 1) {
      try {
        const [row] = await this.api.runStates([this.runId]);
        if (!row) return undefined;
        this.version = row.version;
        return row.state;
      } catch (error) {
        if (!isTransient(error)) return undefined;
        await sleep(jitteredDelay(attempt, this.retry), signal);
      }
    }
    return undefined;
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
