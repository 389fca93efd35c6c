import { randomUUID } from 'node:crypto';
import type { StoreDriver } from '../store/driver.js';
import { decodeRow, type Row } from '../store/tables.js';
import { slaSettingsOf, type SlaAgent, type SlaDecision, type SlaSettings, type SlaSnapshot, type SlaState } from './agent-sla-rules.js';

/** One monitored agent config with its agents, as the SLA checker sees it. */
export interface SlaConfig extends SlaSnapshot {
  id: string;
  tenantId: string;
  name: string | null;
}

/** Persistence of the agent SLA automations (part of `Store`, shared SQL for both backends). */
export interface AgentSlaStore {
  /** Every agent config whose settings carry `sla_seconds`, with its agents' `last_queried`. */
  listMonitored(): Promise<SlaConfig[]>;
  /**
   * Re-reads the config and its agents under a row lock, asks `decide`, and when it returns an
   * event flips `sla_state` and inserts the event in the same transaction: one event per
   * transition, however many replicas check at once. Returns the new event row, if any.
   */
  recordTransition(configId: string, now: string, decide: (snapshot: SlaConfig) => SlaDecision): Promise<Row | undefined>;
  /** Events whose webhook delivery attempt is due at `now`. */
  dueDeliveries(now: string, limit: number): Promise<Row[]>;
  /** Takes delivery attempt `attempts + 1` (compare-and-set); `nextAt` = retry time, null = last. */
  claimDelivery(id: string, attempts: number, nextAt: string | null): Promise<boolean>;
  /** Records an attempt's outcome: delivered, or failed with the next attempt's time (null = no more). */
  finishDelivery(id: string, outcome: { deliveredAt: string } | { error: string; nextAt: string | null }): Promise<void>;
}

function toConfig(raw: Row, settings: SlaSettings, agents: SlaAgent[]): SlaConfig {
  return {
    id: raw.id as string, tenantId: raw.tenant_id as string, name: (raw.name as string | null) ?? null,
    created: raw.created as string, settings, state: (raw.sla_state as SlaState | null) ?? null, agents,
  };
}

const parseSettings = (raw: unknown): unknown => {
  try {
    return typeof raw === 'string' ? JSON.parse(raw) : raw;
  } catch {
    return undefined;
  }
};

export function agentSlaStore(d: StoreDriver): AgentSlaStore {
  return {
    async listMonitored() {
      const configs = await d.db.selectFrom('agent_config').select(['id', 'tenant_id', 'name', 'settings', 'created', 'sla_state'])
        .where('settings', 'like', '%sla_seconds%').execute();
      const monitored = configs.map((c) => ({ raw: c as Row, settings: slaSettingsOf(parseSettings(c.settings)) }))
        .filter((c): c is { raw: Row; settings: SlaSettings } => c.settings !== undefined);
      if (monitored.length === 0) return [];
      const agents = new Map<string, SlaAgent[]>();
      const ids = monitored.map((c) => c.raw.id as string);
      for (let i = 0; i < ids.length; i += 500) {
        const rows = await d.db.selectFrom('agent').select(['id', 'agent_config_id', 'last_queried'])
          .where('agent_config_id', 'in', ids.slice(i, i + 500)).execute();
        for (const r of rows) {
          const list = agents.get(r.agent_config_id as string) ?? [];
          list.push({ id: r.id as string, lastQueried: (r.last_queried as string | null) ?? null });
          agents.set(r.agent_config_id as string, list);
        }
      }
      return monitored.map((c) => toConfig(c.raw, c.settings, agents.get(c.raw.id as string) ?? []));
    },

    async recordTransition(configId, now, decide) {
      return d.write(async (q) => {
        let select = q.selectFrom('agent_config').select(['id', 'tenant_id', 'name', 'settings', 'created', 'sla_state']).where('id', '=', configId);
        if (d.skipLocked) select = select.forUpdate(); // PostgreSQL; SQLite's BEGIN IMMEDIATE already serialises writers
        const raw = await select.executeTakeFirst();
        const settings = raw ? slaSettingsOf(parseSettings(raw.settings)) : undefined;
        if (!raw || !settings) return undefined;
        const agents = (await q.selectFrom('agent').select(['id', 'last_queried']).where('agent_config_id', '=', configId).execute())
          .map((a) => ({ id: a.id as string, lastQueried: (a.last_queried as string | null) ?? null }));
        const config = toConfig(raw as Row, settings, agents);
        const decision = decide(config);
        if (!decision.event) return undefined;
        const updated = await q.updateTable('agent_config').set({ sla_state: decision.status }).where('id', '=', configId)
          .where((eb) => (config.state === null ? eb('sla_state', 'is', null) : eb('sla_state', '=', config.state))).executeTakeFirst();
        if (Number(updated.numUpdatedRows) !== 1) return undefined;
        const row = {
          id: randomUUID(), tenant_id: config.tenantId, agent_config_id: configId, type: decision.event,
          healthy_agent_ids: JSON.stringify(decision.healthyAgentIds), unhealthy_agent_ids: JSON.stringify(decision.unhealthyAgentIds),
          sla_min_healthy: settings.minHealthy, sla_seconds: settings.slaSeconds, webhook_url: settings.webhookUrl,
          delivery_attempts: 0, next_delivery_at: settings.webhookUrl ? now : null, delivered_at: null, delivery_error: null, created: now,
        };
        await q.insertInto('agent_sla_event').values(row).execute();
        return { ...decodeRow('agent_sla_event', row), agent_config_name: config.name };
      });
    },

    async dueDeliveries(now, limit) {
      const rows = await d.db.selectFrom('agent_sla_event as e').leftJoin('agent_config as c', 'c.id', 'e.agent_config_id')
        .selectAll('e').select('c.name as agent_config_name')
        .where('e.next_delivery_at', 'is not', null).where('e.next_delivery_at', '<=', now)
        .orderBy('e.next_delivery_at').limit(limit).execute();
      return rows.map((r) => ({ ...decodeRow('agent_sla_event', r as Row), agent_config_name: r.agent_config_name ?? null }));
    },

    async claimDelivery(id, attempts, nextAt) {
      const res = await d.db.updateTable('agent_sla_event').set({ delivery_attempts: attempts + 1, next_delivery_at: nextAt })
        .where('id', '=', id).where('delivery_attempts', '=', attempts).where('delivered_at', 'is', null).executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async finishDelivery(id, outcome) {
      const set: Row = 'deliveredAt' in outcome
        ? { delivered_at: outcome.deliveredAt, next_delivery_at: null, delivery_error: null }
        : { delivery_error: outcome.error, next_delivery_at: outcome.nextAt };
      await d.db.updateTable('agent_sla_event').set(set).where('id', '=', id).execute();
    },
  };
}
