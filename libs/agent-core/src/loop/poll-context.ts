import type { AgentApi } from '../control-plane/agent-api.js';
import type { HealthState } from '../health/health-state.js';
import type { Logger } from '../logging/logger.js';
import type { RunSupervisor } from '../runs/run-supervisor.js';
import type { Waker } from './wake-sleep.js';

/** What both poll loops need. */
export interface PollContext {
  api: AgentApi;
  supervisor: RunSupervisor;
  logger: Logger;
  health: HealthState;
  waker: Waker;
  /** Aborted on stop: no new claims. */
  signal: AbortSignal;
  agentId: string;
  tenantId: string;
  labels: string[];
  maxPolls?: number;
  /** The lease granted with claimed runs (claim_flow_runs' lease_seconds). */
  onLeaseSeconds?: (seconds: number) => void;
  /** Called after every poll with the poll number (tests, metrics). */
  onPoll?: (polls: number) => void;
}
