import type { AgentApi } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';
import type { RunSupervisor } from '../runs/run-supervisor.js';
import { FINISHED } from '../runs/states.js';

export interface LeaseKeeperOptions {
  api: AgentApi;
  supervisor: RunSupervisor;
  logger: Logger;
  agentId: string;
  /** `agent_heartbeat` is offered: renew leases; else poll the runs' states for cancellation. */
  heartbeat: boolean;
  intervalMs: number;
}

/**
 * Every few seconds, one request for all running runs: `agent_heartbeat` renews their leases and
 * names the runs to stop; without the extension the runs' states are read instead. Cancelling →
 * SIGTERM/SIGKILL and Cancelled; a run that is no longer ours → stopped, no state written.
 */
export class LeaseKeeper {
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(private readonly options: LeaseKeeperOptions) {}

  start(): void {
    this.arm();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick().finally(() => this.arm()), this.options.intervalMs);
    this.timer.unref();
  }

  async tick(): Promise<void> {
    const { api, supervisor, logger } = this.options;
    const ids = supervisor.ids();
    if (ids.length === 0) return;
    try {
      let toCheck = ids;
      if (this.options.heartbeat) {
        toCheck = (await api.agentHeartbeat({ agent_id: this.options.agentId, flow_run_ids: ids })).cancel_flow_run_ids;
        if (toCheck.length === 0) return;
      }
      const rows = new Map((await api.runStates(toCheck)).map((r) => [r.id, r.state]));
      for (const id of toCheck) {
        const state = rows.get(id);
        if (state === 'Cancelling' || state === 'Cancelled') supervisor.cancel(id);
        else if (state === undefined || state === null || FINISHED.has(state) || this.options.heartbeat) supervisor.abandon(id);
      }
    } catch (error) {
      logger.warning(`Could not renew the leases of ${ids.length} flow run(s): ${(error as Error).message}`);
    }
  }
}
