import type { Db } from '../driver.js';

/**
 * Agent SLA automations: `agent_config.sla_state` ('ok' | 'failing', null = never checked) is
 * the compare-and-set guard that makes each transition produce one event even with several
 * replicas; `agent_sla_event` holds the events and the state of their webhook delivery
 * (`next_delivery_at` non-null = a delivery attempt is due at that time).
 */
export async function up(db: Db): Promise<void> {
  const s = db.schema;
  await s.alterTable('agent_config').addColumn('sla_state', 'text').execute();
  await s.createTable('agent_sla_event').addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull()).addColumn('agent_config_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('healthy_agent_ids', 'text', (c) => c.notNull()).addColumn('unhealthy_agent_ids', 'text', (c) => c.notNull())
    .addColumn('sla_min_healthy', 'integer', (c) => c.notNull()).addColumn('sla_seconds', 'integer', (c) => c.notNull())
    .addColumn('webhook_url', 'text').addColumn('delivery_attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('next_delivery_at', 'text').addColumn('delivered_at', 'text').addColumn('delivery_error', 'text')
    .addColumn('created', 'text', (c) => c.notNull()).execute();
  await s.createIndex('agent_sla_event_config').on('agent_sla_event').columns(['agent_config_id', 'created']).execute();
  await s.createIndex('agent_sla_event_tenant').on('agent_sla_event').columns(['tenant_id', 'created']).execute();
  await s.createIndex('agent_sla_event_delivery').on('agent_sla_event').columns(['next_delivery_at']).execute();
  await s.createIndex('agent_config_id_agent').on('agent').columns(['agent_config_id']).execute();
}
