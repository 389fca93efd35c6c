import type { Store } from '../store/store.js';
import type { Row } from '../store/tables.js';
import { isoAt } from '../time.js';
import { decideSla, deliveryBackoffMs } from './agent-sla-rules.js';
import type { SlaConfig } from './agent-sla-store.js';
import { intervalService, type BackgroundService } from './service.js';

export interface AgentSlaOptions {
  store: Store;
  /** How often every monitored config is checked; default 1000. */
  intervalMs?: number;
  /** Webhook delivery attempts per event; default 5. */
  maxAttempts?: number;
  /** Delay after the first failed attempt, doubled each time (capped at 60 s); default 1000. */
  backoffMs?: number;
  /** Per-attempt HTTP timeout; default 5000. */
  timeoutMs?: number;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Test seam: the clock. */
  now?: () => number;
  /** Test seam: the HTTP client (global fetch by default). */
  fetch?: typeof fetch;
}

export const SLA_EVENT_NAMES = { AGENT_SLA_FAILURE: 'Agent SLA failure', AGENT_SLA_RECOVERED: 'Agent SLA recovered' } as const;

/** The JSON body POSTed to a config's `webhook_url` (documented in docs/protocol.md). */
export function webhookPayload(event: Row): Record<string, unknown> {
  return {
    id: event.id,
    type: event.type,
    event: SLA_EVENT_NAMES[event.type as keyof typeof SLA_EVENT_NAMES] ?? event.type,
    agent_config_id: event.agent_config_id,
    agent_config_name: event.agent_config_name ?? null,
    tenant_id: event.tenant_id,
    healthy_agent_ids: event.healthy_agent_ids,
    unhealthy_agent_ids: event.unhealthy_agent_ids,
    sla_min_healthy: event.sla_min_healthy,
    sla_seconds: event.sla_seconds,
    created: event.created,
  };
}

/** One check of every monitored config; returns the events this checker recorded. */
export async function checkAgentSlas(store: Store, nowMs: number): Promise<Row[]> {
  const recorded: Row[] = [];
  for (const config of await store.agentSla.listMonitored()) {
    if (!decideSla(config, nowMs).event) continue; // cheap lock-free pre-check; the transition re-decides under a lock
    const event = await store.agentSla.recordTransition(config.id, isoAt(nowMs), (fresh: SlaConfig) => decideSla(fresh, nowMs));
    if (event) recorded.push(event);
  }
  return recorded;
}

function describeEvent(e: Row): string {
  const healthy = (e.healthy_agent_ids as string[]).length;
  const total = healthy + (e.unhealthy_agent_ids as string[]).length;
  const name = e.agent_config_name ? ` "${e.agent_config_name}"` : '';
  const what = e.type === 'AGENT_SLA_FAILURE' ? 'Agent SLA failure' : 'Agent SLA recovered';
  return `${what}: agent config ${e.agent_config_id}${name} has ${healthy} of ${total} agent(s) that queried for work within ${e.sla_seconds} s (minimum ${e.sla_min_healthy})`;
}

/**
 * The agent SLA automation service: every `intervalMs`, records one "Agent SLA failure" event
 * when fewer than `sla_min_healthy` agents of a config queried for work within `sla_seconds`,
 * and one "Agent SLA recovered" event when the group is healthy again; then POSTs due events to
 * their webhook in the background (capped attempts, exponential backoff, a timeout). A webhook
 * never blocks the check, and its failures are only logged and recorded on the event.
 */
export function agentSlaService(o: AgentSlaOptions): BackgroundService {
  const now = o.now ?? Date.now;
  const post = o.fetch ?? fetch;
  const maxAttempts = o.maxAttempts ?? 5;
  const backoffMs = o.backoffMs ?? 1000;
  const timeoutMs = o.timeoutMs ?? 5000;
  const inFlight = new Set<Promise<void>>();

  const deliver = async (event: Row, attempt: number): Promise<void> => {
    const label = `${event.type} ${event.id}`;
    try {
      const res = await post(event.webhook_url as string, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'prefect-ts-control-plane' },
        body: JSON.stringify(webhookPayload(event)),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      await o.store.agentSla.finishDelivery(event.id as string, { deliveredAt: isoAt(now()) });
    } catch (err) {
      const message = (err as Error).name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : (err as Error).message;
      const giveUp = attempt >= maxAttempts;
      o.log(giveUp ? 'error' : 'warn', `Webhook for ${label} failed (attempt ${attempt} of ${maxAttempts}): ${message}${giveUp ? '; giving up' : ''}`);
      const nextAt = giveUp ? null : isoAt(now() + deliveryBackoffMs(attempt, backoffMs));
      await o.store.agentSla.finishDelivery(event.id as string, { error: message, nextAt }).catch((e: Error) => o.log('error', `Could not record webhook failure: ${e.message}`));
    }
  };

  const dispatch = async (): Promise<void> => {
    const t = now();
    for (const event of await o.store.agentSla.dueDeliveries(isoAt(t), 50)) {
      const attempts = Number(event.delivery_attempts);
      const attempt = attempts + 1;
      // a lease for this attempt (its timeout plus the backoff): if this server dies mid-attempt,
      // another checker retries then; the attempt's own outcome replaces it
      const nextAt = attempt >= maxAttempts ? null : isoAt(t + timeoutMs + deliveryBackoffMs(attempt, backoffMs));
      if (!(await o.store.agentSla.claimDelivery(event.id as string, attempts, nextAt))) continue;
      const p = deliver(event, attempt).finally(() => inFlight.delete(p));
      inFlight.add(p);
    }
  };

  const inner = intervalService('agent-sla', o.intervalMs ?? 1000, async () => {
    for (const event of await checkAgentSlas(o.store, now())) o.log(event.type === 'AGENT_SLA_FAILURE' ? 'warn' : 'info', describeEvent(event));
    await dispatch();
  }, (err) => o.log('error', `Agent SLA check failed: ${(err as Error).message}`));

  return {
    name: inner.name,
    start: () => inner.start(),
    stop: async () => {
      await inner.stop();
      await Promise.allSettled([...inFlight]);
    },
  };
}
