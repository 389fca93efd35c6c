import { badInput } from '../errors.js';

/** The SLA settings of one agent config, as stored in `agent_config.settings` (Prefect-style names). */
export interface SlaSettings {
  /** An agent is healthy when it queried for work within this many seconds. */
  slaSeconds: number;
  /** Fewer healthy agents than this is a failure. */
  minHealthy: number;
  webhookUrl: string | null;
}

export type SlaState = 'ok' | 'failing';
export type SlaEventType = 'AGENT_SLA_FAILURE' | 'AGENT_SLA_RECOVERED';

export interface SlaAgent {
  id: string;
  lastQueried: string | null;
}

export interface SlaSnapshot {
  /** ISO creation time of the config: an empty or young group gets `sla_seconds` of grace. */
  created: string;
  settings: SlaSettings;
  /** null = never checked (treated as ok: a first healthy check records no event). */
  state: SlaState | null;
  agents: SlaAgent[];
}

export interface SlaDecision {
  status: SlaState;
  healthyAgentIds: string[];
  unhealthyAgentIds: string[];
  /** The event this check must record, if the group changed state. */
  event?: SlaEventType;
}

const isHttpUrl = (value: string): boolean => {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

/**
 * Validates the SLA keys of `agent_config.settings` (other keys pass through untouched):
 * `sla_seconds` ≥ 1, `sla_min_healthy` an integer ≥ 1, `webhook_url` an http(s) URL.
 */
export function validateSlaSettings(settings: unknown): void {
  if (settings === undefined || settings === null) return;
  if (typeof settings !== 'object' || Array.isArray(settings)) throw badInput('settings must be a JSON object');
  const s = settings as Record<string, unknown>;
  if (s.sla_seconds !== undefined && (typeof s.sla_seconds !== 'number' || !Number.isFinite(s.sla_seconds) || s.sla_seconds < 1)) {
    throw badInput(`settings.sla_seconds must be a number of seconds of at least 1 (got ${JSON.stringify(s.sla_seconds)})`);
  }
  if (s.sla_min_healthy !== undefined && (typeof s.sla_min_healthy !== 'number' || !Number.isInteger(s.sla_min_healthy) || s.sla_min_healthy < 1)) {
    throw badInput(`settings.sla_min_healthy must be an integer of at least 1 (got ${JSON.stringify(s.sla_min_healthy)})`);
  }
  if (s.webhook_url !== undefined && s.webhook_url !== null && (typeof s.webhook_url !== 'string' || !isHttpUrl(s.webhook_url))) {
    throw badInput(`settings.webhook_url must be an http:// or https:// URL (got ${JSON.stringify(s.webhook_url)})`);
  }
}

/** The SLA of a config, or undefined when its settings have no `sla_seconds` (not monitored). */
export function slaSettingsOf(settings: unknown): SlaSettings | undefined {
  if (!settings || typeof settings !== 'object') return undefined;
  const s = settings as Record<string, unknown>;
  if (typeof s.sla_seconds !== 'number' || !(s.sla_seconds >= 1)) return undefined;
  const min = typeof s.sla_min_healthy === 'number' && s.sla_min_healthy >= 1 ? Math.floor(s.sla_min_healthy) : 1;
  const url = typeof s.webhook_url === 'string' && isHttpUrl(s.webhook_url) ? s.webhook_url : null;
  return { slaSeconds: s.sla_seconds, minHealthy: min, webhookUrl: url };
}

/**
 * The pure SLA rule. Healthy agents queried within `sla_seconds` of `now`. Fewer than
 * `sla_min_healthy` healthy agents is a failure, except while the config itself is younger than
 * `sla_seconds` (so a new group, or one with no agents yet, gets the same grace as an agent).
 * An event is due only on a change of state: ok/unknown → failing, failing → ok.
 */
export function decideSla(snapshot: SlaSnapshot, nowMs: number): SlaDecision {
  const windowMs = snapshot.settings.slaSeconds * 1000;
  const healthy: string[] = [];
  const unhealthy: string[] = [];
  for (const a of snapshot.agents) {
    const t = a.lastQueried ? Date.parse(a.lastQueried) : NaN;
    (Number.isFinite(t) && nowMs - t <= windowMs ? healthy : unhealthy).push(a.id);
  }
  healthy.sort();
  unhealthy.sort();
  const young = nowMs - Date.parse(snapshot.created) < windowMs;
  const failing = healthy.length < snapshot.settings.minHealthy && !young;
  const status: SlaState = failing ? 'failing' : 'ok';
  let event: SlaEventType | undefined;
  if (failing && snapshot.state !== 'failing') event = 'AGENT_SLA_FAILURE';
  else if (!failing && snapshot.state === 'failing') event = 'AGENT_SLA_RECOVERED';
  return { status, healthyAgentIds: healthy, unhealthyAgentIds: unhealthy, event };
}

/** Delay before delivery attempt `attempt + 1` after `attempt` failed: base · 2^(attempt-1), capped. */
export function deliveryBackoffMs(attempt: number, baseMs: number, capMs = 60_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
