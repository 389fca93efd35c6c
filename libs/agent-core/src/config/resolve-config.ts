import { homedir } from 'node:os';
import { ConfigError, UsageError } from '../errors.js';
import type { AgentSettings, AgentStartFlags, SettingKey } from '../options/agent-options.js';
import { DEFAULTS } from './defaults.js';
import { envValue } from './env-layer.js';
import { configFilePath, getPath, readConfigFile } from './file-layer.js';
import { flagName, flagValues } from './flag-layer.js';
import { SETTING_SPECS, type SettingSpec } from './settings-spec.js';

export type SettingSourceKind = 'flag' | 'env' | 'file' | 'default';

export interface SettingSource {
  kind: SettingSourceKind;
  /** `--label`, `PREFECT__CLOUD__AGENT__LABELS`, `/home/me/.prefect/config.toml [cloud.agent] labels`, `default`. */
  name: string;
}

export interface ResolveConfigOptions {
  flags?: AgentStartFlags;
  env?: NodeJS.ProcessEnv;
  /** Home directory for `~/.prefect/config.toml` (tests). */
  homeDir?: string;
}

export interface ResolvedConfig {
  settings: AgentSettings;
  sources: Record<SettingKey, SettingSource>;
  /** The config file that was read, if any. */
  configFile?: string;
}

interface Issue {
  fromFlag: boolean;
  text: string;
  fix: string;
}

/** Merges flag > environment > config file > default, checks every value, reports every issue. */
export function resolveConfig(options: ResolveConfigOptions = {}): ResolvedConfig {
  const env = options.env ?? process.env;
  const fromFlags = flagValues(options.flags ?? {});
  const file = readConfigFile(configFilePath(env, options.homeDir ?? homedir()));
  const settings: Record<string, unknown> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  const issues: Issue[] = [];

  for (const spec of SETTING_SPECS) {
    const picked = pick(spec, fromFlags, env, file, issues);
    if (!picked) {
      settings[spec.key] = (DEFAULTS as Record<string, unknown>)[spec.key];
      sources[spec.key] = { kind: 'default', name: 'default' };
      continue;
    }
    try {
      settings[spec.key] = spec.check(picked.value);
      sources[spec.key] = picked.source;
    } catch (error) {
      issues.push(describeIssue(spec, picked.source, (error as Error).message));
    }
  }
  if (issues.length) throw toError(issues);
  return { settings: settings as unknown as AgentSettings, sources, configFile: file?.path };
}

function pick(
  spec: SettingSpec,
  fromFlags: Partial<Record<SettingKey, unknown>>,
  env: NodeJS.ProcessEnv,
  file: ReturnType<typeof readConfigFile>,
  issues: Issue[],
): { value: unknown; source: SettingSource } | undefined {
  if (fromFlags[spec.key] !== undefined) return { value: fromFlags[spec.key], source: { kind: 'flag', name: flagName(spec.key) } };
  try {
    const found = envValue(spec, env);
    if (found) return { value: found.value, source: { kind: 'env', name: found.name } };
  } catch (error) {
    issues.push(describeIssue(spec, { kind: 'env', name: spec.env }, (error as Error).message));
    return undefined;
  }
  const value = file ? getPath(file.data, spec.path) : undefined;
  if (value !== undefined && file) {
    const dot = spec.path.lastIndexOf('.');
    return { value, source: { kind: 'file', name: `${file.path} [${spec.path.slice(0, dot)}] ${spec.path.slice(dot + 1)}` } };
  }
  return undefined;
}

function describeIssue(spec: SettingSpec, source: SettingSource, message: string): Issue {
  switch (source.kind) {
    case 'flag':
      return { fromFlag: true, text: `${source.name}: ${message}`, fix: `correct the value of ${source.name}` };
    case 'env':
      return { fromFlag: false, text: `environment variable ${source.name}: ${message}`, fix: `correct or unset ${source.name}` };
    default:
      return { fromFlag: false, text: `${source.name}: ${message}`, fix: `correct ${spec.path.split('.').pop()} in ${source.name.split(' [')[0]}` };
  }
}

function toError(issues: Issue[]): Error {
  const message = issues.map((i) => i.text).join('; ');
  const suggestions = issues.map((i) => i.fix);
  return issues.some((i) => i.fromFlag)
    ? new UsageError(message, { code: 'INVALID_FLAG_VALUE', suggestions })
    : new ConfigError(message, { code: 'INVALID_CONFIG_VALUE', suggestions });
}
