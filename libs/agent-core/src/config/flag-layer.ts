import { UsageError } from '../errors.js';
import { optionForSetting, type AgentSettings, type AgentStartFlags, type SettingKey } from '../options/agent-options.js';

/** The raw value each given flag contributes to a setting (before the setting's own check). */
export function flagValues(flags: AgentStartFlags): Partial<Record<SettingKey, unknown>> {
  if (flags.token !== undefined) {
    throw new UsageError('--token is no longer supported: Prefect 1.0 replaced API tokens with API keys', {
      code: 'TOKEN_REMOVED',
      suggestions: ['pass an API key with --key (or set PREFECT__CLOUD__API_KEY)', 'create one with `prefect server create-api-key`'],
    });
  }
  const out: Partial<Record<SettingKey, unknown>> = {};
  const set = (key: SettingKey, value: unknown) => {
    if (value !== undefined) out[key] = value;
  };
  set('key', flags.key);
  set('tenantId', flags.tenantId);
  set('api', flags.api);
  set('agentConfigId', flags.agentConfigId);
  set('name', flags.name);
  set('labels', nonEmptyList(flags.label));
  set('env', flags.env && flags.env.length ? parseEnvPairs(flags.env) : undefined);
  set('maxPolls', flags.maxPolls);
  set('agentAddress', flags.agentAddress);
  set('sendFlowRunLogs', flags.noCloudLogs ? false : undefined);
  set('level', flags.logLevel);
  set('importPaths', nonEmptyList(flags.importPath));
  set('showFlowLogs', flags.showFlowLogs ? true : undefined);
  set('hostnameLabel', flags.hostnameLabel);
  set('limit', flags.limit);
  set('stopTimeout', flags.stopTimeout);
  return out;
}

/** `--env KEY=VALUE` entries to a table; the value may itself contain `=`. */
export function parseEnvPairs(entries: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of entries) {
    const at = entry.indexOf('=');
    if (at <= 0) {
      throw new UsageError(`--env "${entry}" is not of the form KEY=VALUE`, {
        code: 'BAD_ENV_FLAG',
        suggestions: [at === 0 ? `give the variable a name: --env NAME${entry}` : `write --env ${entry}=VALUE (use --env ${entry}= for an empty value)`],
      });
    }
    out[entry.slice(0, at)] = entry.slice(at + 1);
  }
  return out;
}

function nonEmptyList(list: string[] | undefined): string[] | undefined {
  return list && list.length ? list : undefined;
}

/** `--label`, `--env`... for messages about a setting that came from a flag. */
export function flagName(key: SettingKey): string {
  const def = optionForSetting(key);
  return def ? `--${def.flag}` : key;
}

export type { AgentSettings };
