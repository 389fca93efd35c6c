import type { FlowSpec } from '../flows/flow-spec.js';

export interface ClientOptions {
  /** GraphQL endpoint, e.g. `http://localhost:4200`. */
  api: string;
  key?: string;
  tenantId?: string;
  /** Per-request timeout. @defaultValue 15000 */
  timeoutMs?: number;
}

export interface ProjectInfo {
  id: string;
  name: string;
  description: string | null;
  created: string;
}

export interface CreateProjectOptions {
  name: string;
  description?: string;
  /** Answer the existing project instead of failing when the name is taken. */
  skipIfExists?: boolean;
}

export interface CreateProjectResult extends ProjectInfo {
  /** false when the project already existed (only with skipIfExists). */
  created_now: boolean;
}

export interface FlowInfo {
  id: string;
  name: string;
  version: number;
  version_group_id: string;
  project_id: string;
  project: string;
  archived: boolean;
  created: string;
  storage_type: string | null;
  parameters: { name: string; default?: unknown; required?: boolean }[];
  labels: string[];
}

export interface RegisterFlowOptions {
  project: string;
  /** A normalised spec (see `loadFlowSpecs` / `normaliseFlowSpec`). */
  flow: FlowSpec;
}

export type RegisterStatus = 'created' | 'new-version' | 'unchanged';

export interface RegisterFlowResult {
  id: string;
  name: string;
  project: string;
  version: number;
  version_group_id: string;
  /** `created`: first version; `new-version`: the spec changed; `unchanged`: same spec, same version. */
  status: RegisterStatus;
  idempotency_key: string;
}

export interface CreateFlowRunOptions {
  /** Flow name; with `project`, the newest unarchived version is run. */
  flowName?: string;
  project?: string;
  /** A specific flow version instead of name + project. */
  flowId?: string;
  parameters?: Record<string, unknown>;
  /** Replaces the run config's labels. */
  labels?: string[];
  runName?: string;
  /** ISO-8601; absent = now. */
  scheduledStartTime?: string;
  idempotencyKey?: string;
}

export interface FlowRunInfo {
  id: string;
  name: string;
  flow_id: string;
  flow_name: string;
  project: string | null;
  state: string;
  state_message: string | null;
  labels: string[];
  parameters: Record<string, unknown>;
  scheduled_start_time: string | null;
  start_time: string | null;
  end_time: string | null;
  created: string;
  version: number;
  agent_id: string | null;
}

export interface LogEntry {
  id: string;
  flow_run_id: string;
  timestamp: string;
  level: string;
  name: string | null;
  message: string;
}

export interface ListFlowsOptions {
  name?: string;
  project?: string;
  version?: number;
  /** Include archived (older) versions. */
  allVersions?: boolean;
  limit?: number;
}

export interface ListFlowRunsOptions {
  flowName?: string;
  project?: string;
  states?: string[];
  limit?: number;
}

export interface LogsOptions {
  flowRunId?: string;
  /** Flow run name, when the id is not known (the newest run of that name). */
  flowRunName?: string;
  limit?: number;
}

export interface CancelFlowRunResult {
  id: string;
  /** `Cancelled` (it had not started) or `Cancelling` (the agent will stop it). */
  state: string;
}

export type WatchEvent =
  | { type: 'state'; state: string; message: string | null; timestamp: string; run: FlowRunInfo }
  | { type: 'log'; log: LogEntry }
  | { type: 'finished'; run: FlowRunInfo; success: boolean };

export interface WatchOptions {
  /** Poll interval. @defaultValue 250 */
  intervalMs?: number;
  signal?: AbortSignal;
  /** Stream the run's logs too. @defaultValue true */
  logs?: boolean;
}
