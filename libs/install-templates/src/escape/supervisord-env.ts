import { fail, rejectControl, type EscapeContext } from './common.js';
import { checkEnvKey } from './systemd-env.js';
import { hasInlineComment } from './python-space.js';

/**
 * One `KEY="value"` pair of a supervisord `environment=`. The grammar differs by version:
 * supervisor 4.2 (Debian 12) lexes it with non-POSIX `shlex` (no escapes inside quotes, then strips
 * every leading/trailing quote from the value); newer releases use POSIX `shlex` (`\\` and `\"`
 * are escapes). Only the common subset is written: a double-quoted value with no `"`, no `\\`
 * pair, no trailing `\` and no leading/trailing `'`. `%` is doubled. Anything else is rejected.
 */
export function supervisordEnvPair(key: string, value: string, field = `env ${key}`): string {
  const ctx: EscapeContext = { field, format: 'supervisord' };
  checkEnvKey(key, ctx);
  rejectControl(value, ctx);
  if (hasInlineComment(value)) {
    fail(ctx, value, 'supervisord treats whitespace followed by ";" or "#" as the start of a comment, even inside quotes');
  }
  if (value.includes('"')) fail(ctx, value, 'supervisord environment= values cannot contain a double quote portably across supervisor versions');
  if (value.includes('\\\\') || value.endsWith('\\')) {
    fail(ctx, value, 'supervisord versions disagree on "\\\\" and a trailing "\\" in environment= values');
  }
  if (/^'|'$/.test(value)) fail(ctx, value, "supervisord strips leading and trailing quotes from environment= values");
  return `${key}="${value.replace(/%/g, '%%')}"`;
}

export function supervisordEnvironment(env: Record<string, string>, sources: Record<string, string> = {}): string {
  return Object.entries(env)
    .map(([k, v]) => supervisordEnvPair(k, v, sources[k] ?? `env ${k}`))
    .join(',');
}
