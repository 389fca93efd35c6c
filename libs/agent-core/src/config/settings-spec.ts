import { LOG_LEVELS, type AgentSettings, type LogLevelName, type SettingKey } from '../options/agent-options.js';

/** How one setting is found in config.toml / the environment, and how a raw value is checked. */
export interface SettingSpec<K extends SettingKey = SettingKey> {
  key: K;
  /** Dotted path in config.toml, Prefect's key names. */
  path: string;
  /** `PREFECT__...` variable. */
  env: string;
  /** `string` settings keep the raw env text; others parse it as a literal first. */
  type: 'string' | 'list' | 'table' | 'boolean' | 'integer' | 'number';
  /** Returns the typed value, or throws Error(message) describing what is wrong. */
  check: (value: unknown) => AgentSettings[K];
  secret?: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const asString = (value: unknown): string => {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a string, got ${describe(value)}`);
};
const nonEmpty = (value: unknown): string => {
  const s = asString(value).trim();
  if (!s) throw new Error('must not be empty');
  return s;
};
const uuid = (value: unknown): string => {
  const s = nonEmpty(value);
  if (!UUID.test(s)) throw new Error(`"${s}" is not a UUID (expected 8-4-4-4-12 hex digits)`);
  return s.toLowerCase();
};
const httpUrl = (value: unknown): string => {
  const s = nonEmpty(value);
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    throw new Error(`"${s}" is not a URL (expected something like http://localhost:4200)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`"${s}" must start with http:// or https://`);
  }
  return s.replace(/\/+$/, '');
};
const agentAddress = (value: unknown): string => {
  const s = asString(value).trim();
  if (s === '') return '';
  const m = /^(https?):\/\/(\[[^\]]*\]|[^/:]*)(?::(\d*))?\/?$/.exec(s);
  if (!m) throw new Error(`"${s}" is not an address of the form http://HOST:PORT (empty HOST = all interfaces)`);
  if (!m[3]) throw new Error(`"${s}" has no port; the health server needs one, e.g. http://0.0.0.0:8080`);
  const port = Number(m[3]);
  if (port < 1 || port > 65535) throw new Error(`port ${m[3]} in "${s}" is out of range 1-65535`);
  return s;
};
const bool = (value: unknown): boolean => {
  if (typeof value === 'boolean') return value;
  throw new Error(`expected true or false, got ${describe(value)}`);
};
const positiveInt = (value: unknown): number => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1) throw new Error(`expected a whole number of at least 1, got ${describe(value)}`);
  return n;
};
const nonNegative = (value: unknown): number => {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0) throw new Error(`expected a number of seconds of at least 0, got ${describe(value)}`);
  return n;
};
const labels = (value: unknown): string[] => {
  const list = typeof value === 'string' ? value.split(',') : value;
  if (!Array.isArray(list)) throw new Error(`expected a list of labels such as ["dev", "staging"], got ${describe(value)}`);
  const out = list.map((item, i) => {
    if (typeof item !== 'string' && typeof item !== 'number') throw new Error(`label ${i + 1} is ${describe(item)}, expected a string`);
    const label = String(item).trim();
    if (!label) throw new Error(`label ${i + 1} is empty`);
    return label;
  });
  return [...new Set(out)].sort();
};
const stringList = (value: unknown): string[] => {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new Error(`expected a list of strings, got ${describe(value)}`);
  return list.map((item) => nonEmpty(item));
};
const ENV_NAME = /^[^=\0]+$/;
const envTable = (value: unknown): Record<string, string> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(`expected a table of variables such as {"KEY": "VALUE"}, got ${describe(value)}`);
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (!ENV_NAME.test(k)) throw new Error(`"${k}" is not a valid environment variable name`);
    out[k] = asString(v);
  }
  return out;
};
const level = (value: unknown): LogLevelName => {
  const s = nonEmpty(value).toUpperCase();
  if (!(LOG_LEVELS as readonly string[]).includes(s)) throw new Error(`"${asString(value)}" is not one of ${LOG_LEVELS.join(', ')}`);
  return s as LogLevelName;
};

export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a table';
  if (typeof value === 'string') return `the string "${value}"`;
  return `${typeof value} ${String(value)}`;
}

function spec<K extends SettingKey>(key: K, path: string, type: SettingSpec['type'], check: (v: unknown) => AgentSettings[K], secret = false): SettingSpec<K> {
  return { key, path, env: `PREFECT__${path.split('.').join('__').toUpperCase()}`, type, check, secret };
}

/** Every setting, in display order. Paths are Prefect's; keys marked (ext) are prefect-ts additions. */
export const SETTING_SPECS: readonly SettingSpec[] = [
  spec('api', 'cloud.api', 'string', httpUrl),
  spec('key', 'cloud.api_key', 'string', nonEmpty, true),
  spec('tenantId', 'cloud.tenant_id', 'string', uuid),
  spec('agentConfigId', 'cloud.agent.agent_config_id', 'string', uuid),
  spec('name', 'cloud.agent.name', 'string', nonEmpty),
  spec('labels', 'cloud.agent.labels', 'list', labels),
  spec('env', 'cloud.agent.env_vars', 'table', envTable),
  spec('maxPolls', 'cloud.agent.max_polls', 'integer', positiveInt),
  spec('agentAddress', 'cloud.agent.agent_address', 'string', agentAddress),
  spec('sendFlowRunLogs', 'cloud.send_flow_run_logs', 'boolean', bool),
  spec('level', 'cloud.agent.level', 'string', level),
  spec('importPaths', 'cloud.agent.import_paths', 'list', stringList),
  spec('showFlowLogs', 'cloud.agent.show_flow_logs', 'boolean', bool),
  spec('hostnameLabel', 'cloud.agent.hostname_label', 'boolean', bool),
  spec('limit', 'cloud.agent.limit', 'integer', positiveInt),
  spec('stopTimeout', 'cloud.agent.stop_timeout', 'number', nonNegative),
];

export function specFor(key: SettingKey): SettingSpec {
  const found = SETTING_SPECS.find((s) => s.key === key);
  if (!found) throw new Error(`no setting ${key}`);
  return found;
}
