import { ControlPlaneError } from '../errors.js';
import type { SerializedState } from '../states.js';
import type { LogInput, StateUpdate } from '../store/store.js';
import { jsonInput, requireExtensions, tenantFor, type RequestContext } from './context.js';

type In<T> = { input: T };
type StateInput = { flow_run_id: string; version?: number; state: unknown };
type LogRowInput = { flow_run_id: string; task_run_id?: string; name?: string; level?: string; message: string; timestamp?: string };
const MAX_STATE_BYTES = 1024 * 1024;

function toStateUpdates(states: StateInput[]): StateUpdate[] {
  return states.map((s) => {
    const size = typeof s.state === 'string' ? Buffer.byteLength(s.state) : Buffer.byteLength(JSON.stringify(s.state) ?? '');
    if (size > MAX_STATE_BYTES) throw new ControlPlaneError('PAYLOAD_TOO_LARGE', `State payload is ${size} bytes; the limit is 1 MB`);
    const state = jsonInput<SerializedState>(s.state, 'state');
    if (!state || typeof state !== 'object') throw new ControlPlaneError('BAD_USER_INPUT', 'state must be a JSON object');
    return { flowRunId: s.flow_run_id, version: s.version, state };
  });
}

const toLogInputs = (logs: LogRowInput[]): LogInput[] =>
  logs.map((l) => ({ flowRunId: l.flow_run_id, taskRunId: l.task_run_id, name: l.name, level: l.level, message: l.message, timestamp: l.timestamp }));

/** Mutations on projects, flows, flow runs, states, logs and tenants. */
export const runMutations = {
  async create_tenant(_: unknown, { input }: In<{ name: string; slug?: string }>, ctx: RequestContext) {
    if (ctx.rt.auth === 'api-key') {
      throw new ControlPlaneError('FORBIDDEN', 'With --auth api-key, tenants are created with `prefect server create-tenant`');
    }
    const row = await ctx.rt.store.createTenant(input);
    return { id: row.id };
  },

  async create_project(_: unknown, { input }: In<{ name: string; description?: string; tenant_id?: string }>, ctx: RequestContext) {
    const tenantId = await tenantFor(ctx, input.tenant_id);
    return ctx.rt.store.createProject({ tenantId, name: input.name, description: input.description });
  },

  async create_flow(_: unknown, { input }: In<{ serialized_flow: unknown; project_id: string; version_group_id?: string; description?: string; idempotency_key?: string }>, ctx: RequestContext) {
    const serializedFlow = jsonInput<Record<string, unknown>>(input.serialized_flow, 'serialized_flow');
    if (!serializedFlow || typeof serializedFlow !== 'object' || Array.isArray(serializedFlow)) {
      throw new ControlPlaneError('BAD_USER_INPUT', 'serialized_flow must be a JSON object');
    }
    const tenantId = await tenantFor(ctx);
    return ctx.rt.store.createFlow({
      tenantId: ctx.scope.tenantId ?? (await projectTenant(ctx, input.project_id)) ?? tenantId, projectId: input.project_id, serializedFlow,
      versionGroupId: input.version_group_id, description: input.description, idempotencyKey: input.idempotency_key,
    });
  },

  async create_flow_run(_: unknown, { input }: In<Record<string, unknown>>, ctx: RequestContext) {
    return ctx.rt.store.createFlowRun({
      flowId: input.flow_id as string | undefined, versionGroupId: input.version_group_id as string | undefined,
      parameters: jsonInput(input.parameters, 'parameters'), context: jsonInput(input.context, 'context'),
      scheduledStartTime: input.scheduled_start_time as string | undefined, name: input.flow_run_name as string | undefined,
      labels: input.labels as string[] | undefined, runConfig: jsonInput(input.run_config, 'run_config'),
      idempotencyKey: input.idempotency_key as string | undefined,
    }, ctx.scope);
  },

  async set_flow_run_states(_: unknown, { input }: In<{ states: StateInput[] }>, ctx: RequestContext) {
    return { states: await ctx.rt.store.setFlowRunStates(toStateUpdates(input.states), ctx.scope, ctx.agentId) };
  },

  /** Extension: an agent's logs and many runs' states in one transaction, each state failing alone. */
  async report_flow_runs(_: unknown, { input }: In<{ logs?: LogRowInput[] | null; states?: StateInput[] | null }>, ctx: RequestContext) {
    requireExtensions(ctx, 'report_flow_runs');
    return { states: await ctx.rt.store.reportFlowRuns(toLogInputs(input.logs ?? []), toStateUpdates(input.states ?? []), ctx.scope, ctx.agentId) };
  },

  async cancel_flow_run(_: unknown, { input }: In<{ flow_run_id: string }>, ctx: RequestContext) {
    return ctx.rt.store.cancelFlowRun(input.flow_run_id, ctx.scope);
  },

  async update_flow_run_heartbeat(_: unknown, { input }: In<{ flow_run_id: string }>, ctx: RequestContext) {
    return { success: await ctx.rt.store.updateFlowRunHeartbeat(input.flow_run_id, ctx.scope) };
  },

  async write_run_logs(_: unknown, { input }: In<{ logs: LogRowInput[] }>, ctx: RequestContext) {
    await ctx.rt.store.writeLogs(toLogInputs(input.logs), ctx.scope);
    return { success: true };
  },
};

async function projectTenant(ctx: RequestContext, projectId: string): Promise<string | undefined> {
  const row = await ctx.rt.store.getById('project', projectId, ctx.scope);
  return row?.tenant_id as string | undefined;
}
