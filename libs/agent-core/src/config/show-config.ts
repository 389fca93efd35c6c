import type { ResolvedConfig, SettingSource } from './resolve-config.js';
import { SETTING_SPECS } from './settings-spec.js';

export interface ConfigShowRow {
  /** Setting name in config.toml (`cloud.agent.labels`). */
  key: string;
  env: string;
  /** JSON value; secrets masked. */
  value: unknown;
  source: SettingSource;
}

export interface ConfigShowResult {
  configFile: string | null;
  settings: ConfigShowRow[];
}

/** Masks all but the last four characters of a secret. */
export function maskSecret(secret: string): string {
  return secret.length <= 8 ? '****' : `****${secret.slice(-4)}`;
}

/** What `prefect config show` prints: every setting, its value (secrets masked) and its source. */
export function showConfig(resolved: ResolvedConfig): ConfigShowResult {
  return {
    configFile: resolved.configFile ?? null,
    settings: SETTING_SPECS.map((spec) => {
      const raw = (resolved.settings as unknown as Record<string, unknown>)[spec.key];
      const value = spec.secret && typeof raw === 'string' ? maskSecret(raw) : (raw ?? null);
      return { key: spec.path, env: spec.env, value, source: resolved.sources[spec.key] };
    }),
  };
}
