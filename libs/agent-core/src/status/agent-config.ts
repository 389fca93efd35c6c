import type { GraphQLTransport } from '../control-plane/transport.js';
import { ControlPlaneError, UsageError } from '../errors.js';

/** `prefect agent config create` inputs. */
export interface AgentConfigOptions {
  name: string;
  /** An agent is healthy when it queried for work within this many seconds (≥ 1). */
  slaSeconds: number;
  /** Fewer healthy agents than this is an "Agent SLA failure" (≥ 1). */
  minHealthy: number;
  /** Receives each SLA event as a JSON POST (http or https). */
  webhookUrl?: string;
}

/** One agent config as `prefect agent config list` shows it (also its `--json` row). */
export interface AgentConfigInfo {
  id: string;
  name: string | null;
  created: string;
  slaSeconds: number | null;
  minHealthy: number | null;
  webhookUrl: string | null;
  /** 'failing' while an SLA failure is open, 'ok' after a check found it healthy, null before. */
  slaState: 'ok' | 'failing' | null;
  agentCount: number;
  settings: Record<string, unknown>;
}

export interface AgentConfigCreateResult {
  id: string;
  name: string;
  settings: { sla_seconds: number; sla_min_healthy: number; webhook_url?: string };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/** Checks the flags of `agent config create`; each problem names its flag (UsageError, exit 2). */
export function validateAgentConfigOptions(o: AgentConfigOptions): void {
  if (!o.name.trim()) throw new UsageError('--name must not be empty', { code: 'BAD_FLAG_NAME', suggestions: ['pass --name NAME'] });
  if (!Number.isInteger(o.slaSeconds) || o.slaSeconds < 1) {
    throw new UsageError(`--sla-seconds must be a whole number of seconds of at least 1 (got ${o.slaSeconds})`, { code: 'BAD_FLAG_SLA_SECONDS', suggestions: ['pass --sla-seconds 300 (the default)'] });
  }
  if (!Number.isInteger(o.minHealthy) || o.minHealthy < 1) {
    throw new UsageError(`--min-healthy must be a whole number of at least 1 (got ${o.minHealthy})`, { code: 'BAD_FLAG_MIN_HEALTHY', suggestions: ['pass --min-healthy 1 (the default)'] });
  }
  if (o.webhookUrl !== undefined && !isHttpUrl(o.webhookUrl)) {
    throw new UsageError(`--webhook must be an http:// or https:// URL (got ${JSON.stringify(o.webhookUrl)})`, { code: 'BAD_FLAG_WEBHOOK', suggestions: ['pass --webhook https://hooks.example.com/prefect'] });
  }
}

/** An `--agent-config-id` value must be a UUID (UsageError, exit 2). */
export function validateAgentConfigId(id: string): void {
  if (!UUID.test(id)) throw new UsageError(`--agent-config-id must be a UUID (got ${JSON.stringify(id)})`, { code: 'BAD_FLAG_AGENT_CONFIG_ID', suggestions: ['list the ids with `prefect agent config list`'] });
}

/** The config exists in this tenant (its settings are returned), else ControlPlaneError AGENT_CONFIG_NOT_FOUND (exit 4). */
export async function requireAgentConfig(transport: GraphQLTransport, id: string): Promise<{ id: string; settings: Record<string, unknown> | null }> {
  validateAgentConfigId(id);
  const data = await transport.request<{ agent_config: { id: string; settings: Record<string, unknown> | null }[] }>('query($id: UUID) { agent_config(where: { id: { _eq: $id } }) { id settings } }', { id });
  if (data.agent_config.length === 0) {
    throw new ControlPlaneError(`No agent config ${id} at ${transport.api}`, { code: 'AGENT_CONFIG_NOT_FOUND', suggestions: ['list the ids with `prefect agent config list`', 'create one with `prefect agent config create --name NAME`'] });
  }
  return data.agent_config[0];
}

const CREATE = 'mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }';

/** Creates an agent config whose settings carry the SLA (`sla_seconds`, `sla_min_healthy`, `webhook_url`). */
export async function createAgentConfig(transport: GraphQLTransport, o: AgentConfigOptions): Promise<AgentConfigCreateResult> {
  validateAgentConfigOptions(o);
  const settings: AgentConfigCreateResult['settings'] = { sla_seconds: o.slaSeconds, sla_min_healthy: o.minHealthy };
  if (o.webhookUrl) settings.webhook_url = o.webhookUrl;
  const data = await transport.request<{ create_agent_config: { id: string } }>(CREATE, { input: { name: o.name, settings } });
  return { id: data.create_agent_config.id, name: o.name, settings };
}

const LIST = 'query { agent_config(order_by: [{ created: asc }]) { id name created settings sla_state agents { id } } }';

interface ListData {
  agent_config: { id: string; name: string | null; created: string; settings: Record<string, unknown> | null; sla_state: 'ok' | 'failing' | null; agents: { id: string }[] }[];
}

export async function listAgentConfigs(transport: GraphQLTransport): Promise<AgentConfigInfo[]> {
  const data = await transport.request<ListData>(LIST);
  return data.agent_config.map((c) => {
    const s = c.settings ?? {};
    return {
      id: c.id, name: c.name, created: c.created,
      slaSeconds: typeof s.sla_seconds === 'number' ? s.sla_seconds : null,
      minHealthy: typeof s.sla_seconds === 'number' ? (typeof s.sla_min_healthy === 'number' ? s.sla_min_healthy : 1) : null,
      webhookUrl: typeof s.webhook_url === 'string' ? s.webhook_url : null,
      slaState: c.sla_state, agentCount: c.agents.length, settings: s,
    };
  });
}
