import type { GraphQLTransport } from '../control-plane/transport.js';
import { ControlPlaneError } from '../errors.js';
import { requireAgentConfig } from './agent-config.js';
import { probeHealth, type HealthProbe } from './probe-health.js';

export * from './agent-config.js';

/** One agent SLA event (newest first in `StatusResult.events`). */
export interface SlaEventInfo {
  id: string;
  type: 'AGENT_SLA_FAILURE' | 'AGENT_SLA_RECOVERED';
  agentConfigId: string;
  agentConfigName: string | null;
  healthyAgentIds: string[];
  unhealthyAgentIds: string[];
  slaMinHealthy: number;
  slaSeconds: number;
  created: string;
  deliveredAt: string | null;
  deliveryAttempts: number;
  /** A failure that is still open: its config is failing and no recovery came after it. */
  open: boolean;
}

export interface AgentStatusRow {
  id: string;
  name: string;
  type: string;
  labels: string[];
  agentConfigId: string | null;
  /** ISO time of the agent's last poll or heartbeat, null if never. */
  lastQueried: string | null;
  secondsSinceQuery: number | null;
  healthy: boolean;
  runsInFlight: number;
}

export interface StatusResult {
  api: string;
  checkedAt: string;
  staleAfterSeconds: number;
  healthyCount: number;
  agents: AgentStatusRow[];
  /** Present with `--agent-address`. */
  health?: HealthProbe;
  /** The `--agent-config-id` filter, null without it. */
  agentConfigId: string | null;
  /** The 10 most recent agent SLA events (of the filtered config), newest first; [] when the server has none. */
  events: SlaEventInfo[];
  /** True when at least one agent is healthy (and the probed health endpoint, if any, says 200). */
  ok: boolean;
}

export interface StatusOptions {
  /** Default: the filtered config's `sla_seconds` when it has one, else 60. */
  staleAfterSeconds?: number;
  agentAddress?: string;
  /** Only the agents (and SLA events) of this agent config; it must exist. */
  agentConfigId?: string;
  now?: () => Date;
}

/** Prefect's UI calls an agent healthy if it queried in the last minute. */
export const DEFAULT_STALE_AFTER_SECONDS = 60;

const IN_FLIGHT = ['Submitted', 'Running', 'Cancelling'];

export const AGENT_STATUS_QUERY = /* GraphQL */ `
  query AgentStatus($inFlight: [String!], $agents: agent_bool_exp) {
    agent(where: $agents, order_by: { name: asc }) { id name type labels agent_config_id last_queried }
    flow_run(where: { state: { _in: $inFlight }, agent_id: { _is_null: false } }) { agent_id }
  }
`;

export const SLA_EVENTS_QUERY = /* GraphQL */ `
  query AgentSlaEvents($where: agent_sla_event_bool_exp) {
    agent_sla_event(where: $where, order_by: [{ created: desc }], limit: 10) {
      id type agent_config_id healthy_agent_ids unhealthy_agent_ids sla_min_healthy sla_seconds created delivered_at delivery_attempts
      agent_config { name sla_state }
    }
  }
`;

interface SlaEventData {
  agent_sla_event: Array<{
    id: string; type: SlaEventInfo['type']; agent_config_id: string; healthy_agent_ids: string[]; unhealthy_agent_ids: string[];
    sla_min_healthy: number; sla_seconds: number; created: string; delivered_at: string | null; delivery_attempts: number;
    agent_config: { name: string | null; sla_state: string | null } | null;
  }>;
}

/** Recent SLA events; a server without agent SLA support (plain Prefect Server) has none. */
export async function recentSlaEvents(transport: GraphQLTransport, agentConfigId?: string): Promise<SlaEventInfo[]> {
  let data: SlaEventData;
  try {
    data = await transport.request<SlaEventData>(SLA_EVENTS_QUERY, { where: agentConfigId ? { agent_config_id: { _eq: agentConfigId } } : {} });
  } catch (error) {
    if (error instanceof ControlPlaneError && /agent_sla_event/.test(error.message) && error.graphqlCode !== 'UNAUTHENTICATED') return [];
    throw error;
  }
  const latest = new Set<string>();
  return data.agent_sla_event.map((e): SlaEventInfo => {
    const first = !latest.has(e.agent_config_id);
    latest.add(e.agent_config_id);
    return {
      id: e.id, type: e.type, agentConfigId: e.agent_config_id, agentConfigName: e.agent_config?.name ?? null,
      healthyAgentIds: e.healthy_agent_ids, unhealthyAgentIds: e.unhealthy_agent_ids, slaMinHealthy: e.sla_min_healthy,
      slaSeconds: e.sla_seconds, created: e.created, deliveredAt: e.delivered_at, deliveryAttempts: e.delivery_attempts,
      open: first && e.type === 'AGENT_SLA_FAILURE' && e.agent_config?.sla_state === 'failing',
    };
  });
}

interface AgentStatusData {
  agent: Array<{ id: string; name: string; type: string; labels: string[] | null; agent_config_id: string | null; last_queried: string | null }>;
  flow_run: Array<{ agent_id: string }>;
}

/** The tenant's agents, how recently each one asked for work, and the runs each one holds. */
export async function agentStatus(transport: GraphQLTransport, options: StatusOptions): Promise<StatusResult> {
  const config = options.agentConfigId ? await requireAgentConfig(transport, options.agentConfigId) : undefined;
  const slaSeconds = config?.settings?.sla_seconds;
  const staleAfterSeconds = options.staleAfterSeconds ?? (typeof slaSeconds === 'number' ? slaSeconds : DEFAULT_STALE_AFTER_SECONDS);
  const now = (options.now ?? (() => new Date()))();
  const agents = options.agentConfigId ? { agent_config_id: { _eq: options.agentConfigId } } : {};
  const [data, events, health] = await Promise.all([
    transport.request<AgentStatusData>(AGENT_STATUS_QUERY, { inFlight: IN_FLIGHT, agents }),
    recentSlaEvents(transport, options.agentConfigId),
    options.agentAddress ? probeHealth(options.agentAddress) : Promise.resolve(undefined),
  ]);
  const inFlight = new Map<string, number>();
  for (const run of data.flow_run) inFlight.set(run.agent_id, (inFlight.get(run.agent_id) ?? 0) + 1);
  const rows = data.agent.map((a): AgentStatusRow => {
    const seconds = a.last_queried ? Math.max(0, (now.getTime() - Date.parse(a.last_queried)) / 1000) : null;
    return {
      id: a.id,
      name: a.name,
      type: a.type,
      labels: a.labels ?? [],
      agentConfigId: a.agent_config_id,
      lastQueried: a.last_queried,
      secondsSinceQuery: seconds === null ? null : Math.round(seconds * 10) / 10,
      healthy: seconds !== null && seconds <= staleAfterSeconds,
      runsInFlight: inFlight.get(a.id) ?? 0,
    };
  });
  const healthyCount = rows.filter((a) => a.healthy).length;
  return {
    api: transport.api,
    checkedAt: now.toISOString(),
    staleAfterSeconds,
    healthyCount,
    agents: rows,
    health,
    agentConfigId: options.agentConfigId ?? null,
    events,
    ok: healthyCount > 0 && (health === undefined || health.ok),
  };
}

/** `12s ago`, `3m ago`, `2h ago`, `never`. */
export function formatAge(seconds: number | null): string {
  if (seconds === null) return 'never';
  if (seconds < 60) return `${Math.floor(seconds)}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86400)}d ago`;
}
