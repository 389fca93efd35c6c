import { fail, rejectControl, type EscapeContext } from './common.js';

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkEnvKey(key: string, ctx: EscapeContext): void {
  if (!KEY.test(key)) fail(ctx, key, 'environment variable names must match [A-Za-z_][A-Za-z0-9_]*');
}

/**
 * One `Environment=` assignment (systemd.exec(5)): the whole `"KEY=value"` quoted, `\` and `"`
 * backslash-escaped, `%` doubled. `$` has no meaning there.
 */
export function systemdEnvAssignment(key: string, value: string, field = `env ${key}`): string {
  const ctx: EscapeContext = { field, format: 'systemd' };
  checkEnvKey(key, ctx);
  rejectControl(value, ctx);
  return `"${key}=${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%')}"`;
}

/**
 * One line of an `EnvironmentFile=` (systemd's env-file grammar, not the unit grammar): no
 * specifiers; a double-quoted value in which `\`, `"`, `` ` `` and `$` are backslash-escaped.
 */
export function systemdEnvFileLine(key: string, value: string, field = `env ${key}`): string {
  const ctx: EscapeContext = { field, format: 'systemd' };
  checkEnvKey(key, ctx);
  rejectControl(value, ctx);
  return `${key}="${value.replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
}
