import type { Db } from '../driver.js';

/**
 * Initial schema. Timestamps are canonical UTC ISO strings and JSON is text in both dialects,
 * so every query is written once. `flow_run.is_scheduled` (1 for Scheduled-type states) backs
 * the claim index: due runs are one ordered index range, future runs are never scanned.
 */
export async function up(db: Db): Promise<void> {
  const s = db.schema;
  await s.createTable('tenant').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull()).addColumn('slug', 'text', (c) => c.notNull().unique())
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createTable('api_key').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('name', 'text')
    .addColumn('key_hash', 'text', (c) => c.notNull().unique()).addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createTable('project').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text').addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('project_tenant_name').on('project').columns(['tenant_id', 'name']).unique().execute();
  await s.createTable('flow').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('project_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull()).addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('version_group_id', 'text', (c) => c.notNull()).addColumn('core_version', 'text')
    .addColumn('storage', 'text').addColumn('run_config', 'text').addColumn('parameters', 'text')
    .addColumn('serialized_flow', 'text').addColumn('environment', 'text')
    .addColumn('archived', 'integer', (c) => c.notNull().defaultTo(0)).addColumn('description', 'text')
    .addColumn('idempotency_key', 'text').addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('flow_group').on('flow').columns(['tenant_id', 'version_group_id', 'version']).execute();
  await s.createIndex('flow_project').on('flow').columns(['project_id']).execute();
  await s.createTable('flow_run').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('flow_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text').addColumn('labels', 'text', (c) => c.notNull())
    .addColumn('parameters', 'text').addColumn('context', 'text').addColumn('run_config', 'text')
    .addColumn('state', 'text', (c) => c.notNull()).addColumn('serialized_state', 'text')
    .addColumn('state_message', 'text').addColumn('state_start_time', 'text', (c) => c.notNull())
    .addColumn('state_timestamp', 'text', (c) => c.notNull())
    .addColumn('is_scheduled', 'integer', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull()).addColumn('scheduled_start_time', 'text')
    .addColumn('start_time', 'text').addColumn('end_time', 'text').addColumn('agent_id', 'text')
    .addColumn('lease_owner', 'text').addColumn('lease_expires_at', 'text')
    .addColumn('attempt', 'integer', (c) => c.notNull().defaultTo(0)).addColumn('heartbeat', 'text')
    .addColumn('idempotency_key', 'text').addColumn('created', 'text', (c) => c.notNull())
    .addColumn('updated', 'text', (c) => c.notNull()).execute();
  await s.createIndex('flow_run_queue').on('flow_run').columns(['tenant_id', 'is_scheduled', 'state_start_time', 'id']).execute();
  await s.createIndex('flow_run_state').on('flow_run').columns(['tenant_id', 'state', 'state_start_time']).execute();
  await s.createIndex('flow_run_lease').on('flow_run').columns(['lease_expires_at']).execute();
  await s.createIndex('flow_run_flow').on('flow_run').columns(['flow_id']).execute();
  await s.createIndex('flow_run_created').on('flow_run').columns(['tenant_id', 'created']).execute();
  await s.createIndex('flow_run_idem').on('flow_run').columns(['flow_id', 'idempotency_key']).unique().execute();
  await s.createTable('task_run').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('flow_run_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text').addColumn('state', 'text').addColumn('serialized_state', 'text')
    .addColumn('state_start_time', 'text').addColumn('version', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('task_run_flow_run').on('task_run').columns(['flow_run_id']).execute();
  await s.createTable('log').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('flow_run_id', 'text')
    .addColumn('task_run_id', 'text').addColumn('name', 'text').addColumn('level', 'text')
    .addColumn('message', 'text').addColumn('timestamp', 'text', (c) => c.notNull())
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('log_flow_run').on('log').columns(['flow_run_id', 'timestamp']).execute();
  await s.createTable('agent_config').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('name', 'text')
    .addColumn('settings', 'text', (c) => c.notNull()).addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createTable('agent').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('agent_config_id', 'text')
    .addColumn('name', 'text').addColumn('type', 'text', (c) => c.notNull()).addColumn('core_version', 'text')
    .addColumn('labels', 'text', (c) => c.notNull()).addColumn('last_queried', 'text')
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('agent_tenant_type').on('agent').columns(['tenant_id', 'type']).execute();
  await s.createTable('server_meta').addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull()).execute();
}
