import { ControlPlaneError } from '../errors.js';
import type { FlowRunMetadata } from '../runs/flow-run.js';
import * as ops from './operations.js';
import type { GraphQLTransport, RequestOptions } from './transport.js';

export interface RunLogEntry {
  flow_run_id: string;
  name: string;
  level: string;
  message: string;
  timestamp: string;
}

export interface StateUpdate {
  flow_run_id: string;
  version?: number;
  state: Record<string, unknown>;
}

/** What `sendReports` did with each part: `undefined` = applied, else why not. */
export interface ReportResults {
  logs?: ControlPlaneError;
  states: (ControlPlaneError | undefined)[];
}

export interface RunStateRow {
  id: string;
  state: string | null;
  version: number;
}

/** The agent's typed view of the control plane: one method per GraphQL operation. */
export class AgentApi {
  constructor(readonly transport: GraphQLTransport) {}

  get api(): string {
    return this.transport.api;
  }

  async hello(): Promise<string> {
    return (await this.transport.request<{ hello: string }>(ops.HELLO)).hello;
  }

  /** `server_info.features`; a server without the field (plain Prefect Server) offers none. */
  async features(): Promise<string[]> {
    try {
      const data = await this.transport.request<{ server_info?: { features?: string[] } }>(ops.SERVER_INFO);
      return data.server_info?.features ?? [];
    } catch (error) {
      if (error instanceof ControlPlaneError && error.code === 'API_ERROR' && /server_info|field|validat/i.test(error.message)) return [];
      throw error;
    }
  }

  async authInfoTenant(): Promise<string | null> {
    const data = await this.transport.request<{ auth_info?: { tenant_id?: string | null } }>(ops.AUTH_INFO_TENANT);
    return data.auth_info?.tenant_id ?? null;
  }

  async firstTenant(): Promise<string | null> {
    const data = await this.transport.request<{ tenant: { id: string }[] }>(ops.FIRST_TENANT);
    return data.tenant[0]?.id ?? null;
  }

  async registerAgent(input: { type: string; name: string; labels: string[]; tenant_id: string; agent_config_id?: string | null }): Promise<string> {
    const data = await this.transport.request<{ register_agent: { id: string } | null }>(ops.REGISTER_AGENT, { input });
    return data.register_agent?.id ?? '';
  }

  async agentConfigSettings(id: string): Promise<Record<string, unknown> | undefined> {
    const data = await this.transport.request<{ agent_config: { settings: unknown }[] }>(ops.agentConfigQuery(id));
    const row = data.agent_config[0];
    return row ? ((row.settings ?? {}) as Record<string, unknown>) : undefined;
  }

  async getRunsInQueue(input: { before: string; labels: string[]; tenant_id: string }, options?: RequestOptions): Promise<string[]> {
    const data = await this.transport.request<{ get_runs_in_queue: { flow_run_ids: string[] } }>(ops.GET_RUNS_IN_QUEUE, { input }, options);
    return data.get_runs_in_queue.flow_run_ids;
  }

  async flowRunMetadata(ids: readonly string[], buffer: string, options?: RequestOptions): Promise<FlowRunMetadata[]> {
    const data = await this.transport.request<{ flow_run: FlowRunMetadata[] }>(ops.flowRunMetadataQuery(ids, buffer), undefined, options);
    return data.flow_run;
  }

  async claimFlowRuns(
    input: { agent_id: string; labels: string[]; limit: number; wait_seconds: number },
    options?: RequestOptions,
  ): Promise<{ flow_runs: FlowRunMetadata[]; lease_seconds: number }> {
    const data = await this.transport.request<{ claim_flow_runs: { flow_runs: FlowRunMetadata[]; lease_seconds: number } }>(ops.CLAIM_FLOW_RUNS, { input }, options);
    return data.claim_flow_runs;
  }

  async agentHeartbeat(input: { agent_id: string; flow_run_ids: string[] }, options?: RequestOptions): Promise<{ cancel_flow_run_ids: string[]; lease_seconds: number }> {
    const data = await this.transport.request<{ agent_heartbeat: { cancel_flow_run_ids: string[]; lease_seconds: number } }>(ops.AGENT_HEARTBEAT, { input }, options);
    return data.agent_heartbeat;
  }

  async setFlowRunStates(states: StateUpdate[]): Promise<void> {
    await this.transport.request(ops.SET_FLOW_RUN_STATES, { input: { states } });
  }

  /**
   * Logs and state updates in one request (`operations.reportsDocument`): the logs are written
   * before any state. Per-field outcome: `undefined` = applied, else the field's error. Throws
   * only when the request as a whole failed (unreachable, rejected).
   */
  async sendReports(logs: RunLogEntry[], states: StateUpdate[]): Promise<ReportResults> {
    const variables: Record<string, unknown> = {};
    if (logs.length) variables.logs = { logs };
    states.forEach((state, i) => (variables[`s${i}`] = { states: [state] }));
    const { errors } = await this.transport.requestPartial(ops.reportsDocument(logs.length > 0, states.length), variables);
    const byField = new Map<unknown, ControlPlaneError>();
    for (const e of errors) byField.set(e.path?.[0], this.transport.toError(e));
    const unplaced = errors.find((e) => !e.path?.length);
    const fieldError = (name: string) => byField.get(name) ?? (unplaced ? this.transport.toError(unplaced) : undefined);
    return { logs: logs.length ? fieldError('logs') : undefined, states: states.map((_, i) => fieldError(`s${i}`)) };
  }

  /**
   * The `report_flow_runs` extension: what `sendReports` does, in one transaction on the server
   * (one commit for the whole batch), with each refused state reported in its own entry.
   */
  async reportFlowRuns(logs: RunLogEntry[], states: StateUpdate[]): Promise<ReportResults> {
    const data = await this.transport.request<{ report_flow_runs: { states: { status: string; code: string | null; message: string | null }[] } }>(ops.REPORT_FLOW_RUNS, {
      input: { logs, states },
    });
    const results = data.report_flow_runs.states;
    return {
      states: states.map((_, i) => {
        const r = results[i];
        if (r?.status === 'SUCCESS') return undefined;
        const message = r ? (r.message ?? `State update ${r.status}`) : 'The server did not report on this state update';
        return this.transport.toError({ message, extensions: { code: r?.code ?? 'INTERNAL_SERVER_ERROR' } });
      }),
    };
  }

  async ownSubmittedRuns(agentId: string, since: string): Promise<{ id: string; version: number }[]> {
    const data = await this.transport.request<{ flow_run: { id: string; version: number }[] }>(ops.OWN_SUBMITTED_RUNS, { agent_id: agentId, since });
    return data.flow_run;
  }

  async runStates(ids: string[]): Promise<RunStateRow[]> {
    const data = await this.transport.request<{ flow_run: RunStateRow[] }>(ops.RUN_STATES, { ids });
    return data.flow_run;
  }
}

/** Network failures and server-side 5xx are worth retrying; rejections are not. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ControlPlaneError)) return false;
  if (error.code === 'API_UNREACHABLE') return true;
  const code = error.graphqlCode ?? '';
  return code === 'INTERNAL_SERVER_ERROR' || /^HTTP_5\d\d$/.test(code) || code === 'HTTP_429';
}

/**
 * The connection was refused: nothing listens at the API address, i.e. the server is down. A
 * server that is down cannot re-offer runs, and it adds its downtime to every lease when it comes
 * back, so leases are not lost meanwhile (unlike a timeout, which may be a partition).
 */
export function isConnectionRefused(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 6; e = e.cause as typeof e, depth += 1) {
    if (e.code === 'ECONNREFUSED') return true;
  }
  return false;
}

export const isVersionConflict = (error: unknown): boolean =>
  error instanceof ControlPlaneError && (error.graphqlCode === 'VERSION_LOCKING_ERROR' || /State update failed/.test(error.message));
