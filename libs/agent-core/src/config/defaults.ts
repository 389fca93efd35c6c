import type { AgentSettings } from '../options/agent-options.js';

/**
 * Built-in defaults, each defined once. Prefect 1 defaults where Prefect 1 has the setting.
 */
export const DEFAULTS: Readonly<AgentSettings> = Object.freeze({
  /** @defaultValue `http://localhost:4200`, where `prefect server start` listens. */
  api: 'http://localhost:4200',
  /** @defaultValue `agent` (Prefect's `cloud.agent.name`). */
  name: 'agent',
  labels: [],
  env: {},
  /** @defaultValue `''`: no health server. */
  agentAddress: '',
  /** @defaultValue `true` (Prefect's `cloud.send_flow_run_logs`). */
  sendFlowRunLogs: true,
  level: 'INFO',
  importPaths: [],
  showFlowLogs: false,
  /** @defaultValue `true`: the host name is added to the agent's labels. */
  hostnameLabel: true,
  /** @defaultValue 30 seconds of drain time on SIGTERM/SIGINT. */
  stopTimeout: 30,
});
