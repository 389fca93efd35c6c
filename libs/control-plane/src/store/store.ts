import type { BoolExp, OrderBy } from '../where/bool-exp.js';
import type { SerializedState } from '../states.js';
import type { AgentSlaStore } from '../services/agent-sla-store.js';
import type { Row, TableName } from './tables.js';
import type { Offer, Waiter } from './handoff.js';

export type StoreKind = 'sqlite' | 'postgres';

/** Which tenant a request may see; `tenantId` undefined = every tenant (auth none). */
export interface Scope {
  tenantId?: string;
}

export interface ListQuery {
  where?: BoolExp | null;
  orderBy?: OrderBy[] | OrderBy | null;
  limit?: number | null;
  offset?: number | null;
}

export interface CreateFlowInput {
  tenantId: string;
  projectId: string;
  serializedFlow: Record<string, unknown>;
  versionGroupId?: string | null;
  description?: string | null;
  idempotencyKey?: string | null;
}

export interface CreateFlowRunInput {
  flowId?: string | null;
  versionGroupId?: string | null;
  parameters?: Record<string, unknown> | null;
  context?: Record<string, unknown> | null;
  scheduledStartTime?: string | null;
  name?: string | null;
  labels?: string[] | null;
  runConfig?: Record<string, unknown> | null;
  idempotencyKey?: string | null;
}

export interface StateUpdate {
  flowRunId: string;
  version?: number | null;
  state: SerializedState;
}

/** One state of a `report_flow_runs`: applied (SUCCESS) or refused (FAILED, with the error's code). */
export interface ReportedState {
  id: string;
  status: 'SUCCESS' | 'FAILED';
  code: string | null;
  message: string | null;
}

export interface StateResult {
  id: string;
  status: string;
  message: string | null;
}

export interface RegisterAgentInput {
  tenantId: string;
  name?: string | null;
  type: string;
  labels?: string[] | null;
  agentConfigId?: string | null;
  coreVersion?: string | null;
}

export interface LogInput {
  flowRunId: string;
  taskRunId?: string | null;
  name?: string | null;
  level?: string | null;
  message: string;
  timestamp?: string | null;
}

export interface ClaimInput {
  tenantId: string;
  agentId: string;
  labels: string[];
  limit: number;
  leaseSeconds: number;
}

export interface SweepOutcome {
  flowRunId: string;
  tenantId: string;
  action: 'rescheduled' | 'failed' | 'cancelled';
  attempt: number;
}

/**
 * Everything the control plane persists. One implementation per backend (SQLite, PostgreSQL),
 * one contract suite (`testing/store-contract.ts`) for both. Rows are returned in API shape.
 */
export interface Store {
  readonly kind: StoreKind;
  /** file path or redacted database URL */
  readonly location: string;
  close(): Promise<void>;

  select(table: TableName, query: ListQuery, scope: Scope): Promise<Row[]>;
  getById(table: TableName, id: string, scope: Scope): Promise<Row | undefined>;

  createTenant(input: { name: string; slug?: string | null }): Promise<Row>;
  findTenant(idOrSlugOrName: string): Promise<Row | undefined>;
  /** The oldest tenant, created as "default" when none exists and `create` is set. */
  defaultTenant(create: boolean): Promise<Row | undefined>;
  insertApiKey(input: { tenantId: string; name?: string | null; keyHash: string; prefix: string }): Promise<{ id: string }>;
  findApiKey(keyHash: string): Promise<{ id: string; tenantId: string } | undefined>;

  createProject(input: { tenantId: string; name: string; description?: string | null }): Promise<{ id: string }>;
  createFlow(input: CreateFlowInput): Promise<{ id: string }>;
  createFlowRun(input: CreateFlowRunInput, scope: Scope): Promise<{ id: string }>;
  setFlowRunStates(updates: StateUpdate[], scope: Scope, agentId?: string | null): Promise<StateResult[]>;
  cancelFlowRun(flowRunId: string, scope: Scope): Promise<{ state: string }>;
  updateFlowRunHeartbeat(flowRunId: string, scope: Scope): Promise<boolean>;
  writeLogs(logs: LogInput[], scope: Scope): Promise<void>;
  /** Logs, then state updates, in one transaction; a refused state fails alone (store/reports.ts). */
  reportFlowRuns(logs: LogInput[], updates: StateUpdate[], scope: Scope, agentId?: string | null): Promise<ReportedState[]>;

  registerAgent(input: RegisterAgentInput): Promise<{ id: string }>;
  deleteAgent(agentId: string, scope: Scope): Promise<boolean>;
  touchAgent(agentId: string, scope: Scope): Promise<void>;
  createAgentConfig(input: { tenantId: string; name?: string | null; settings?: unknown }): Promise<{ id: string }>;

  /** Prefect Server's `get_runs_in_queue`: label rule, time rule, at most 25 ids. */
  getRunsInQueue(input: { tenantId: string; before: string; labels: string[] }): Promise<string[]>;
  /** Atomically moves due runs to Submitted with a lease; returns the claimed flow_run rows. */
  claimFlowRuns(input: ClaimInput): Promise<Row[]>;
  /** Earliest `state_start_time` of a Scheduled-type run after `after`, if any. */
  nextDueTime(tenantId: string, after: string): Promise<string | undefined>;
  agentHeartbeat(input: { tenantId: string; agentId: string; flowRunIds: string[]; leaseSeconds: number }): Promise<string[]>;
  /** Reschedules (or fails, or cancels) runs whose lease expired before `now`. */
  sweepExpiredLeases(now: string, maxAttempts: number): Promise<SweepOutcome[]>;
  /** Records that the server is alive at `now`; returns the previous mark. */
  markAlive(now: string): Promise<string | undefined>;
  /** Adds `ms` to every live lease (the server's own downtime). */
  extendLeases(ms: number): Promise<number>;

  /** Agent SLA automations: monitored configs, transitions (one event each), webhook deliveries. */
  readonly agentSla: AgentSlaStore;

  /**
   * Offers a waiting agent (its claim found nothing) to take a run created meanwhile directly:
   * such a run is inserted already claimed by it and handed over (handoff.ts).
   */
  offerToTake(waiter: Waiter): Offer;

  /** Subscribes to "runs may be due" signals (own writes and, on PostgreSQL, other replicas'). */
  onRunsAvailable(listener: (tenantId: string) => void): () => void;
}
