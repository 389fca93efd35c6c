import { isConnectionRefused, type AgentApi } from '../control-plane/agent-api.js';
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
  /** Lease until the server says otherwise (claim_flow_runs / agent_heartbeat lease_seconds). */
  leaseSeconds?: number;
  /** Fencing: a run is stopped this long before its lease would expire unrenewed. */
  fenceMarginMs?: number;
  now?: () => number;
}

/**
 * Every few seconds, one request for all running runs: `agent_heartbeat` renews their leases and
 * names the runs to stop; without the extension the runs' states are read instead. Cancelling →
 * SIGTERM/SIGKILL and Cancelled; a run that is no longer ours → stopped, no state written.
 *
 * Fencing: a lease is valid from the moment its last successful claim or renewal was *sent*.
 * When a run's lease is about to expire without a renewal (heartbeats time out: a partition, a
 * hung server), its process group is stopped before the server can give the run to another
 * agent. A refused connection means the server is down: it re-offers nothing while down and adds
 * its downtime to every lease on start, so runs keep going.
 */
export class LeaseKeeper {
  private timer?: NodeJS.Timeout;
  private fenceTimer?: NodeJS.Timeout;
  private stopped = false;
  private leaseMs: number;
  /** Send time of the last successful heartbeat per run. */
  private readonly renewedAt = new Map<string, number>();
  /** The last heartbeat attempt failed with a refused connection (server down). */
  private serverDown = false;
  private readonly now: () => number;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.leaseMs = (options.leaseSeconds ?? 10) * 1000;
    this.now = options.now ?? Date.now;
  }

  /** Heartbeats at least three times per lease. */
  private get intervalMs(): number {
    return Math.max(100, Math.min(this.options.intervalMs, this.leaseMs / 3));
  }

  noteLeaseSeconds(seconds: number | undefined): void {
    if (typeof seconds === 'number' && seconds > 0) this.leaseMs = seconds * 1000;
  }

  start(): void {
    this.arm(this.intervalMs);
    if (this.options.heartbeat) {
      this.fenceTimer = setInterval(() => this.fence(), 250);
      this.fenceTimer.unref();
    }
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.fenceTimer) clearInterval(this.fenceTimer);
  }

  private arm(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.tick().then((ok) => this.arm(ok ? this.intervalMs : Math.min(1000, this.intervalMs))), delayMs);
    this.timer.unref();
  }

  /** Stops runs whose lease expires within the fence margin without a renewal. */
  fence(): void {
    const { supervisor } = this.options;
    if (supervisor.size === 0 || this.serverDown) return;
    const now = this.now();
    const margin = this.options.fenceMarginMs ?? Math.min(2500, this.leaseMs / 4);
    for (const id of supervisor.ids()) {
      const executor = supervisor.get(id);
      if (!executor) continue;
      const from = Math.max(executor.claimedAt, this.renewedAt.get(id) ?? 0);
      if (now >= from + this.leaseMs - margin) supervisor.fence(id, Math.max(0, Math.min(1000, margin - 500)));
    }
  }

  /** One heartbeat; false when it failed (the next one comes sooner). */
  async tick(): Promise<boolean> {
    const { api, supervisor, logger } = this.options;
    const ids = supervisor.ids();
    for (const id of this.renewedAt.keys()) if (!supervisor.has(id)) this.renewedAt.delete(id);
    if (ids.length === 0) return true;
    try {
      let toCheck = ids;
      if (this.options.heartbeat) {
        const sentAt = this.now();
        const answer = await api.agentHeartbeat({ agent_id: this.options.agentId, flow_run_ids: ids }, { timeoutMs: Math.max(1000, Math.min(5000, this.leaseMs / 4)) });
        this.serverDown = false;
        this.noteLeaseSeconds(answer.lease_seconds);
        toCheck = answer.cancel_flow_run_ids;
        const lost = new Set(toCheck);
        for (const id of ids) if (!lost.has(id)) this.renewedAt.set(id, sentAt);
        if (toCheck.length === 0) return true;
      }
      const rows = new Map((await api.runStates(toCheck)).map((r) => [r.id, r.state]));
      for (const id of toCheck) {
        const state = rows.get(id);
        if (state === 'Cancelling' || state === 'Cancelled') supervisor.cancel(id);
        else if (state === undefined || state === null || FINISHED.has(state) || this.options.heartbeat) supervisor.abandon(id);
      }
      return true;
    } catch (error) {
      this.serverDown = isConnectionRefused(error);
      logger.warning(`Could not renew the leases of ${ids.length} flow run(s): ${(error as Error).message}`);
      return false;
    }
  }
}
