/**
 * The tables exposed through the Hasura-style GraphQL surface: column types and relations.
 * The SDL, the `where`/`order_by` translation and the row decoding are all derived from this.
 */
export type ColumnType = 'uuid' | 'string' | 'int' | 'ts' | 'json' | 'bool';

export interface Relation {
  kind: 'object' | 'array';
  table: TableName;
  /** column on this table */
  localKey: string;
  /** column on the related table */
  remoteKey: string;
}

export interface TableMeta {
  name: TableName;
  columns: Record<string, ColumnType>;
  relations: Record<string, Relation>;
}

export type TableName = 'tenant' | 'project' | 'flow' | 'flow_run' | 'task_run' | 'log' | 'agent' | 'agent_config' | 'agent_sla_event';

const base = { id: 'uuid', created: 'ts' } as const;

export const TABLES: Record<TableName, TableMeta> = {
  tenant: { name: 'tenant', columns: { ...base, name: 'string', slug: 'string' }, relations: {} },
  project: {
    name: 'project',
    columns: { ...base, tenant_id: 'uuid', name: 'string', description: 'string' },
    relations: { flows: { kind: 'array', table: 'flow', localKey: 'id', remoteKey: 'project_id' } },
  },
  flow: {
    name: 'flow',
    columns: {
      ...base, tenant_id: 'uuid', project_id: 'uuid', name: 'string', version: 'int', version_group_id: 'string',
      core_version: 'string', storage: 'json', run_config: 'json', parameters: 'json', serialized_flow: 'json',
      environment: 'json', archived: 'bool', description: 'string', idempotency_key: 'string',
    },
    relations: {
      project: { kind: 'object', table: 'project', localKey: 'project_id', remoteKey: 'id' },
      flow_runs: { kind: 'array', table: 'flow_run', localKey: 'id', remoteKey: 'flow_id' },
    },
  },
  flow_run: {
    name: 'flow_run',
    columns: {
      ...base, tenant_id: 'uuid', flow_id: 'uuid', name: 'string', labels: 'json', parameters: 'json', context: 'json',
      run_config: 'json', state: 'string', serialized_state: 'json', state_message: 'string', state_start_time: 'ts',
      state_timestamp: 'ts', version: 'int', scheduled_start_time: 'ts', start_time: 'ts', end_time: 'ts',
      agent_id: 'uuid', lease_expires_at: 'ts', lease_owner: 'uuid', attempt: 'int', heartbeat: 'ts',
      idempotency_key: 'string', updated: 'ts',
    },
    relations: {
      flow: { kind: 'object', table: 'flow', localKey: 'flow_id', remoteKey: 'id' },
      agent: { kind: 'object', table: 'agent', localKey: 'agent_id', remoteKey: 'id' },
      task_runs: { kind: 'array', table: 'task_run', localKey: 'id', remoteKey: 'flow_run_id' },
      logs: { kind: 'array', table: 'log', localKey: 'id', remoteKey: 'flow_run_id' },
    },
  },
  task_run: {
    name: 'task_run',
    columns: {
      ...base, tenant_id: 'uuid', flow_run_id: 'uuid', task_id: 'uuid', state: 'string', serialized_state: 'json',
      state_start_time: 'ts', version: 'int',
    },
    relations: { flow_run: { kind: 'object', table: 'flow_run', localKey: 'flow_run_id', remoteKey: 'id' } },
  },
  log: {
    name: 'log',
    columns: {
      ...base, tenant_id: 'uuid', flow_run_id: 'uuid', task_run_id: 'uuid', name: 'string', level: 'string',
      message: 'string', timestamp: 'ts',
    },
    relations: { flow_run: { kind: 'object', table: 'flow_run', localKey: 'flow_run_id', remoteKey: 'id' } },
  },
  agent: {
    name: 'agent',
    columns: {
      ...base, tenant_id: 'uuid', agent_config_id: 'uuid', name: 'string', type: 'string', core_version: 'string',
      labels: 'json', last_queried: 'ts',
    },
    relations: { agent_config: { kind: 'object', table: 'agent_config', localKey: 'agent_config_id', remoteKey: 'id' } },
  },
  agent_config: {
    name: 'agent_config',
    columns: { ...base, tenant_id: 'uuid', name: 'string', settings: 'json', sla_state: 'string' },
    relations: {
      agents: { kind: 'array', table: 'agent', localKey: 'id', remoteKey: 'agent_config_id' },
      sla_events: { kind: 'array', table: 'agent_sla_event', localKey: 'id', remoteKey: 'agent_config_id' },
    },
  },
  agent_sla_event: {
    name: 'agent_sla_event',
    columns: {
      ...base, tenant_id: 'uuid', agent_config_id: 'uuid', type: 'string', healthy_agent_ids: 'json', unhealthy_agent_ids: 'json',
      sla_min_healthy: 'int', sla_seconds: 'int', delivery_attempts: 'int', delivered_at: 'ts', delivery_error: 'string',
    },
    relations: { agent_config: { kind: 'object', table: 'agent_config', localKey: 'agent_config_id', remoteKey: 'id' } },
  },
};

export type Row = Record<string, unknown>;

/** Turns a raw database row into its API shape (JSON parsed, booleans, numbers). */
export function decodeRow(table: TableName, raw: Row): Row {
  const cols = TABLES[table].columns;
  const out: Row = {};
  for (const [key, value] of Object.entries(raw)) {
    const type = cols[key];
    if (value === null || value === undefined) out[key] = null;
    else if (type === 'json') out[key] = typeof value === 'string' ? JSON.parse(value) : value;
    else if (type === 'bool') out[key] = value === 1 || value === true || value === '1';
    else if (type === 'int') out[key] = Number(value);
    else out[key] = value;
  }
  return out;
}

export const encodeJson = (value: unknown): string | null =>
  value === undefined || value === null ? null : JSON.stringify(value);
