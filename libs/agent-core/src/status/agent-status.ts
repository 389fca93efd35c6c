import type { GraphQLTransport } from '../control-plane/transport.js';
import { probeHealth, type HealthProbe } from './probe-health.js';

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
  /** True when at least one agent is healthy (and the probed health endpoint, if any, says 200). */
  ok: boolean;
}

export interface StatusOptions {
  staleAfterSeconds: number;
  agentAddress?: string;
  now?: () => Date;
}

const IN_FLIGHT = ['Submitted', 'Running', 'Cancelling'];

export const AGENT_STATUS_QUERY = /* GraphQL */ `
  query AgentStatus($inFlight: [String!]) {
    agent(order_by: { name: asc }) { id name type labels agent_config_id last_queried }
    flow_run(where: { state: { _in: $inFlight }, agent_id: { _is_null: false } }) { agent_id }
  }
`;

interface AgentStatusData {
  agent: Array<{ id: string; name: string; type: string; labels: string[] | null; agent_config_id: string | null; last_queried: string | null }>;
  flow_run: Array<{ agent_id: string }>;
}

/** The tenant's agents, how recently each one asked for work, and the runs each one holds. */
export async function agentStatus(transport: GraphQLTransport, options: StatusOptions): Promise<StatusResult> {
  const now = (options.now ?? (() => new Date()))();
  const [data, health] = await Promise.all([
    transport.request<AgentStatusData>(AGENT_STATUS_QUERY, { inFlight: IN_FLIGHT }),
    options.agentAddress ? probeHealth(options.agentAddress) : Promise.resolve(undefined),
  ]);
  const inFlight = new Map<string, number>();
  for (const run of data.flow_run) inFlight.set(run.agent_id, (inFlight.get(run.agent_id) ?? 0) + 1);
  const agents = data.agent.map((a): AgentStatusRow => {
    const seconds = a.last_queried ? Math.max(0, (now.getTime() - Date.parse(a.last_queried)) / 1000) : null;
    return {
      id: a.id,
      name: a.name,
      type: a.type,
      labels: a.labels ?? [],
      agentConfigId: a.agent_config_id,
      lastQueried: a.last_queried,
      secondsSinceQuery: seconds === null ? null : Math.round(seconds * 10) / 10,
      healthy: seconds !== null && seconds <= options.staleAfterSeconds,
      runsInFlight: inFlight.get(a.id) ?? 0,
    };
  });
  const healthyCount = agents.filter((a) => a.healthy).length;
  return {
    api: transport.api,
    checkedAt: now.toISOString(),
    staleAfterSeconds: options.staleAfterSeconds,
    healthyCount,
    agents,
    health,
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
