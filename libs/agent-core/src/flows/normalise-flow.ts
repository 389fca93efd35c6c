import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import type { FlowSpec } from './flow-spec.js';

/**
 * The form that is registered and hashed: relative `storage.path` and `run_config.working_dir`
 * resolved against the spec file's directory (the agent runs elsewhere), Module `export`
 * defaulted, labels de-duplicated and sorted, `parameters` always a list.
 */
export function normaliseFlowSpec(spec: FlowSpec, baseDir: string): FlowSpec {
  const out: FlowSpec = { ...spec, parameters: (spec.parameters ?? []).map((p) => ({ ...p })) };
  if (spec.storage.type === 'Module') {
    const path = isAbsolute(spec.storage.path) ? spec.storage.path : resolve(baseDir, spec.storage.path);
    out.storage = { type: 'Module', path, export: spec.storage.export ?? 'default' };
  } else {
    out.storage = { type: 'Command', argv: [...spec.storage.argv] };
  }
  if (spec.run_config) {
    const rc = { ...spec.run_config };
    if (rc.working_dir && !isAbsolute(rc.working_dir)) rc.working_dir = resolve(baseDir, rc.working_dir);
    if (rc.labels) rc.labels = [...new Set(rc.labels)].sort();
    out.run_config = rc;
  }
  return out;
}

/** JSON with object keys sorted at every level: equal values always give equal text. */
export function stableStringify(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
}

/**
 * The registration idempotency key: `sha256:<hex>` of the normalised spec. Sent as
 * `create_flow(idempotency_key)`; the server returns the newest flow of the version group
 * unchanged when its key matches, and creates the next version otherwise.
 */
export function flowSpecHash(normalised: FlowSpec): string {
  return `sha256:${createHash('sha256').update(stableStringify(normalised)).digest('hex')}`;
}

/** `register --label`: adds labels to the spec's run config (a UniversalRun when it has none). */
export function withLabels(spec: FlowSpec, labels: string[]): FlowSpec {
  if (!labels.length) return spec;
  const rc = spec.run_config ?? { type: 'UniversalRun' as const };
  return { ...spec, run_config: { ...rc, labels: [...new Set([...(rc.labels ?? []), ...labels])].sort() } };
}
