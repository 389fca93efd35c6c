import { AGENT_OPTIONS, type AgentStartFlags } from './agent-options.js';

/**
 * Re-serialises parsed `agent local start` flags in canonical form: option-model order, long
 * names, `--flag=value` (so values starting with `-` stay values). Secret flags (`--key`) are
 * left out unless asked for: services carry them in the environment instead.
 * Parsing the result with the start command's parser gives back the same flags.
 */
export function flagsToArgv(flags: AgentStartFlags, options: { includeSecrets?: boolean } = {}): string[] {
  const argv: string[] = [];
  for (const def of AGENT_OPTIONS) {
    if (def.install === 'reject') continue;
    if (def.install === 'env' && !options.includeSecrets) continue;
    const value = flags[def.flagKey];
    if (value === undefined) continue;
    if (def.kind === 'boolean') {
      if (def.allowNo) argv.push(value ? `--${def.flag}` : `--no-${def.flag}`);
      else if (value) argv.push(`--${def.flag}`);
      continue;
    }
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) argv.push(`--${def.flag}=${String(v)}`);
  }
  return argv;
}
