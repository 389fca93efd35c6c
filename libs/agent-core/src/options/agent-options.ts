/**
 * The option model of `prefect agent local start`: every flag, defined once. The CLI builds its
 * oclif flags from this list, `agent local install` re-serialises parsed flags with it, and the
 * config resolver knows from it where each setting may come from.
 */

/** Settings of a local agent after flags, environment, config file and defaults are merged. */
export interface AgentSettings {
  api: string;
  key?: string;
  tenantId?: string;
  agentConfigId?: string;
  name: string;
  labels: string[];
  env: Record<string, string>;
  maxPolls?: number;
  agentAddress: string;
  sendFlowRunLogs: boolean;
  level: LogLevelName;
  importPaths: string[];
  showFlowLogs: boolean;
  hostnameLabel: boolean;
  limit?: number;
  stopTimeout: number;
}

export type SettingKey = keyof AgentSettings;
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'] as const;
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** Flags as the CLI parsed them (camelCase of the long flag name); absent = not given. */
export interface AgentStartFlags {
  key?: string;
  tenantId?: string;
  api?: string;
  agentConfigId?: string;
  name?: string;
  label?: string[];
  env?: string[];
  maxPolls?: number;
  agentAddress?: string;
  noCloudLogs?: boolean;
  logLevel?: string;
  importPath?: string[];
  showFlowLogs?: boolean;
  hostnameLabel?: boolean;
  limit?: number;
  stopTimeout?: number;
  token?: string;
}

export type FlagKey = keyof AgentStartFlags;

export interface AgentOptionDef {
  /** Key in AgentStartFlags. */
  flagKey: FlagKey;
  /** Long flag name without dashes. */
  flag: string;
  char?: string;
  kind: 'string' | 'boolean' | 'integer' | 'number';
  multiple?: boolean;
  /** `--flag/--no-flag` boolean. */
  allowNo?: boolean;
  /** Accepted values (case-insensitive) for string flags. */
  choices?: readonly string[];
  /** Help text (Prefect 1's wording where Prefect 1 has the flag). */
  description: string;
  /** The setting this flag feeds; absent for flags that only explain a removal. */
  setting?: SettingKey;
  /** Shown in help as the effective default; the value itself lives in config/defaults.ts. */
  defaultHelp?: string;
  /** Secret values never appear on a generated service's command line. */
  secret?: boolean;
  /** Hidden from help (kept only to explain a replacement). */
  hidden?: boolean;
  /** How `agent local install` carries the flag: on the command line, or in the environment. */
  install: 'argv' | 'env' | 'reject';
  /** Help group. */
  group: 'Connection' | 'Agent' | 'Flow runs' | 'Lifecycle';
}

export const AGENT_OPTIONS: readonly AgentOptionDef[] = [
  { flagKey: 'key', flag: 'key', char: 'k', kind: 'string', setting: 'key', secret: true, install: 'env', group: 'Connection',
    description: 'A Prefect Cloud API key. If not set, the value will be inferred from the local machine.' },
  { flagKey: 'tenantId', flag: 'tenant-id', kind: 'string', setting: 'tenantId', install: 'argv', group: 'Connection',
    description: 'The ID of the tenant to connect the agent to. If not set, the value will be inferred from the local machine and fallback to the default associated with the API key.' },
  { flagKey: 'api', flag: 'api', char: 'a', kind: 'string', setting: 'api', install: 'argv', group: 'Connection', defaultHelp: 'http://localhost:4200',
    description: 'A Prefect API URL. If not set, the value in the config is used.' },
  { flagKey: 'agentConfigId', flag: 'agent-config-id', kind: 'string', setting: 'agentConfigId', install: 'argv', group: 'Agent',
    description: 'An agent ID to link this agent instance with' },
  { flagKey: 'name', flag: 'name', char: 'n', kind: 'string', setting: 'name', install: 'argv', group: 'Agent', defaultHelp: 'agent',
    description: 'A name to use for the agent' },
  { flagKey: 'label', flag: 'label', char: 'l', kind: 'string', multiple: true, setting: 'labels', install: 'argv', group: 'Agent',
    description: 'Labels the agent will use to query for flow runs.' },
  { flagKey: 'env', flag: 'env', char: 'e', kind: 'string', multiple: true, setting: 'env', install: 'argv', group: 'Flow runs',
    description: 'Environment variables to set on each submitted flow run. Format: KEY=VALUE.' },
  { flagKey: 'maxPolls', flag: 'max-polls', kind: 'integer', setting: 'maxPolls', install: 'argv', group: 'Lifecycle',
    description: 'Maximum number of times the agent should poll the Prefect API for flow runs. Default is no limit' },
  { flagKey: 'agentAddress', flag: 'agent-address', kind: 'string', setting: 'agentAddress', install: 'argv', group: 'Agent',
    description: 'Address to serve internal api server at. Defaults to no server. Format: http://HOST:PORT (empty host = all interfaces).' },
  { flagKey: 'noCloudLogs', flag: 'no-cloud-logs', kind: 'boolean', setting: 'sendFlowRunLogs', install: 'argv', group: 'Flow runs',
    description: 'Turn off logging for all flows run through this agent. If not set, the Prefect config value will be used.' },
  { flagKey: 'logLevel', flag: 'log-level', kind: 'string', setting: 'level', choices: LOG_LEVELS, install: 'argv', group: 'Agent', defaultHelp: 'INFO',
    description: 'The agent log level to use. Defaults to the value configured in your environment.' },
  { flagKey: 'importPath', flag: 'import-path', char: 'p', kind: 'string', multiple: true, setting: 'importPaths', install: 'argv', group: 'Flow runs',
    description: 'Import paths the local agent will add to all flow runs.' },
  { flagKey: 'showFlowLogs', flag: 'show-flow-logs', char: 'f', kind: 'boolean', setting: 'showFlowLogs', install: 'argv', group: 'Flow runs',
    description: 'Display logging output from flows run by the agent.' },
  { flagKey: 'hostnameLabel', flag: 'hostname-label', kind: 'boolean', allowNo: true, setting: 'hostnameLabel', install: 'argv', group: 'Agent', defaultHelp: 'true',
    description: "Add hostname to the LocalAgent's labels" },
  { flagKey: 'limit', flag: 'limit', kind: 'integer', setting: 'limit', install: 'argv', group: 'Flow runs', defaultHelp: 'no limit',
    description: 'Maximum number of flow runs this agent runs at the same time.' },
  { flagKey: 'stopTimeout', flag: 'stop-timeout', kind: 'number', setting: 'stopTimeout', install: 'argv', group: 'Lifecycle', defaultHelp: '30',
    description: 'Seconds to let running flow runs finish after SIGTERM/SIGINT before their process groups are terminated.' },
  { flagKey: 'token', flag: 'token', char: 't', kind: 'string', hidden: true, install: 'reject', group: 'Connection',
    description: 'Removed in Prefect 1.0: API tokens were replaced by API keys. Use --key.' },
];

export function optionForFlag(flagKey: FlagKey): AgentOptionDef {
  const def = AGENT_OPTIONS.find((o) => o.flagKey === flagKey);
  if (!def) throw new Error(`unknown agent option ${flagKey}`);
  return def;
}

export function optionForSetting(setting: SettingKey): AgentOptionDef | undefined {
  return AGENT_OPTIONS.find((o) => o.setting === setting);
}
