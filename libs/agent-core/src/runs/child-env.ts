import type { FlowRunMetadata } from './flow-run.js';
import { asRecord, jsonValue } from './flow-run.js';

export interface ChildEnvContext {
  /** The agent's own environment (process.env). */
  agentEnv: NodeJS.ProcessEnv;
  /** `--env KEY=VALUE` pairs. */
  agentVars: Record<string, string>;
  /** The run config's `env`. */
  runConfigEnv: Record<string, string>;
  api: string;
  apiKey?: string;
  tenantId: string;
  labels: string[];
  run: FlowRunMetadata;
  /** `--no-cloud-logs`: tell the child not to ship logs either. */
  sendFlowRunLogs: boolean;
  /** `--import-path` entries, given to Node children as NODE_PATH. */
  importPaths: string[];
}

/**
 * The child's environment (docs/protocol.md "Child process environment"), later wins: the
 * agent's own env → `--env` → run config `env` → the fixed Prefect block.
 */
export function buildChildEnv(ctx: ChildEnvContext): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(ctx.agentEnv)) if (v !== undefined) env[k] = v;
  if (ctx.importPaths.length) env.NODE_PATH = [...ctx.importPaths, ...(env.NODE_PATH ? [env.NODE_PATH] : [])].join(':');
  Object.assign(env, ctx.agentVars, ctx.runConfigEnv);
  if (!ctx.sendFlowRunLogs) env.PREFECT__CLOUD__SEND_FLOW_RUN_LOGS = 'false';
  env.PREFECT__BACKEND = 'server';
  env.PREFECT__CLOUD__API = ctx.api;
  if (ctx.apiKey) env.PREFECT__CLOUD__API_KEY = ctx.apiKey;
  else delete env.PREFECT__CLOUD__API_KEY;
  env.PREFECT__CLOUD__TENANT_ID = ctx.tenantId;
  env.PREFECT__CLOUD__AGENT__LABELS = JSON.stringify(ctx.labels);
  env.PREFECT__CONTEXT__FLOW_RUN_ID = ctx.run.id;
  env.PREFECT__CONTEXT__FLOW_ID = ctx.run.flow.id;
  env.PREFECT__CONTEXT__PARAMETERS = JSON.stringify(asRecord(ctx.run.parameters) ?? jsonValue(ctx.run.parameters) ?? {});
  return env;
}
