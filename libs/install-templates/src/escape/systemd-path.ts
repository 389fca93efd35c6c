import { fail, requireAbsolutePath, type EscapeContext } from './common.js';

/**
 * A path-type setting (`WorkingDirectory=`, `EnvironmentFile=`): taken literally to the end of the
 * line, never unquoted, so never quoted; specifiers expand, so `%` is doubled. Leading/trailing
 * whitespace would be stripped and a trailing `\` would join the next line: rejected.
 * `EnvironmentFile=` is a glob: `*?[` rejected when `glob` is set.
 */
export function systemdPath(value: string, field: string, options: { glob?: boolean } = {}): string {
  const ctx: EscapeContext = { field, format: 'systemd' };
  requireAbsolutePath(value, ctx);
  if (/\s$/.test(value)) fail(ctx, value, 'trailing whitespace is stripped from systemd path settings');
  if (value.endsWith('\\')) fail(ctx, value, 'a trailing backslash continues the line');
  if (options.glob && /[*?[\]]/.test(value)) fail(ctx, value, 'EnvironmentFile= treats *, ? and [ as glob characters');
  if (/["']/.test(value) && /^["']|["']$/.test(value)) fail(ctx, value, 'a path may not start or end with a quote');
  return value.replace(/%/g, '%%');
}

/** `User=`: a plain account name (specifiers expand, so no `%` either). */
export function systemdUserName(value: string, field = 'user'): string {
  const ctx: EscapeContext = { field, format: 'systemd' };
  if (!/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(value) || value.length > 32) fail(ctx, value, 'not a valid user name');
  return value;
}
