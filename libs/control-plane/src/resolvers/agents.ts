import { normaliseLabels } from '../labels.js';
import type { Row } from '../store/tables.js';
import { isoNow } from '../time.js';
import { claimWithWait } from './claims.js';
import { validateSlaSettings } from '../services/agent-sla-rules.js';
import { jsonInput, requireExtensions, tenantFor, type RequestContext } from './context.js';

type In<T> = { input: T };

/** register_agent, delete_agent, create_agent_config, get_runs_in_queue and the two extensions. */
export const agentMutations = {
  async register_agent(_: unknown, { input }: In<{ tenant_id?: string; labels?: string[]; agent_config_id?: string; type: string; name?: string }>, ctx: RequestContext) {
    const tenantId = await tenantFor(ctx, input.tenant_id);
    return ctx.rt.store.registerAgent({
      tenantId, name: input.name, type: input.type, labels: input.labels, agentConfigId: input.agent_config_id, coreVersion: ctx.coreVersion,
    });
  },

  async delete_agent(_: unknown, { input }: In<{ agent_id: string }>, ctx: RequestContext) {
    return { success: await ctx.rt.store.deleteAgent(input.agent_id, ctx.scope) };
  },

  async create_agent_config(_: unknown, { input }: In<{ name?: string; settings?: unknown; tenant_id?: string }>, ctx: RequestContext) {
    const tenantId = await tenantFor(ctx, input.tenant_id);
    const settings = jsonInput(input.settings, 'settings');
    validateSlaSettings(settings);
    return ctx.rt.store.createAgentConfig({ tenantId, name: input.name, settings });
  },

  async get_runs_in_queue(_: unknown, { input }: In<{ tenant_id?: string; before?: string; labels?: string[] }>, ctx: RequestContext) {
    const tenantId = await tenantFor(ctx, input.tenant_id);
    const ids = await ctx.rt.store.getRunsInQueue({ tenantId, before: input.before ?? isoNow(), labels: normaliseLabels(input.labels) });
    if (ctx.agentId) await ctx.rt.store.touchAgent(ctx.agentId, ctx.scope);
    return { flow_run_ids: ids };
  },

  async claim_flow_runs(_: unknown, { input }: In<{ agent_id: string; labels?: string[]; limit?: number; wait_seconds?: number }>, ctx: RequestContext) {
    requireExtensions(ctx, 'claim_flow_runs');
    const tenantId = await tenantFor(ctx);
    const flowRuns: Row[] = await claimWithWait(ctx, {
      tenantId, agentId: input.agent_id, labels: normaliseLabels(input.labels),
      limit: Math.max(1, Math.min(input.limit ?? 10, 100)), waitSeconds: Math.max(0, Math.min(input.wait_seconds ?? 0, ctx.rt.maxWaitSeconds)),
    });
    return { flow_runs: flowRuns, lease_seconds: ctx.rt.leaseSeconds };
  },

  async agent_heartbeat(_: unknown, { input }: In<{ agent_id: string; flow_run_ids: string[] }>, ctx: RequestContext) {
    requireExtensions(ctx, 'agent_heartbeat');
    const tenantId = await tenantFor(ctx);
    const cancel = await ctx.rt.store.agentHeartbeat({ tenantId, agentId: input.agent_id, flowRunIds: input.flow_run_ids, leaseSeconds: ctx.rt.leaseSeconds });
    return { cancel_flow_run_ids: cancel, lease_seconds: ctx.rt.leaseSeconds };
  },
};
