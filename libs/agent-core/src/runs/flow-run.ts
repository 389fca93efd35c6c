/** A flow run as the agent receives it from `claim_flow_runs` or Prefect's metadata query. */
export interface FlowRunMetadata {
  id: string;
  version: number;
  name?: string | null;
  state?: string | null;
  serialized_state?: unknown;
  parameters?: unknown;
  run_config?: unknown;
  labels?: string[] | null;
  scheduled_start_time?: string | null;
  flow: {
    id: string;
    name?: string | null;
    storage?: unknown;
    run_config?: unknown;
    version?: number | null;
    core_version?: string | null;
  };
}

/** JSON columns may arrive as JSON-encoded strings (Prefect's clients send them that way). */
export function jsonValue(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

export function asRecord(value: unknown): Record<string, unknown> | undefined {
  const v = jsonValue(value);
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

/** The time the run should start: the serialized state's `start_time`, else now. */
export function startTimeOf(run: FlowRunMetadata, now: number): number {
  const state = asRecord(run.serialized_state);
  const raw = typeof state?.start_time === 'string' ? state.start_time : undefined;
  const t = raw ? Date.parse(raw) : NaN;
  return Number.isFinite(t) ? t : now;
}

export const runLabel = (run: FlowRunMetadata): string => run.name || run.id;
