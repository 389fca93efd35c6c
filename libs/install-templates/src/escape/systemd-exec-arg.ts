import { fail, rejectControl, requireAbsolutePath, type EscapeContext } from './common.js';

const ctxOf = (field: string): EscapeContext => ({ field, format: 'systemd' });

/**
 * One argument of an `ExecStart=` line (systemd.service(5) "Command lines", systemd.syntax(7)):
 * always double-quoted; `\` and `"` backslash-escaped (C escapes apply inside quotes), `%` doubled
 * (specifiers expand inside quotes too), `$` doubled (variables expand in exec lines).
 */
export function systemdExecArg(value: string, field: string): string {
  const ctx = ctxOf(field);
  rejectControl(value, ctx);
  if (value === ';') fail(ctx, value, 'a lone ";" separates commands in an exec line');
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`).replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

/**
 * The executable of an exec line: absolute, unquoted (systemd < 233 rejected quoted executables),
 * spaces as `\x20`, `\` as `\\`. `%` cannot be escaped reliably in the executable
 * (systemd/systemd#36248), so it is rejected, as are quotes and `$`.
 */
export function systemdExecPath(value: string, field: string): string {
  const ctx = ctxOf(field);
  requireAbsolutePath(value, ctx);
  const bad = /[%"'$]/.exec(value);
  if (bad) fail(ctx, value, `"${bad[0]}" cannot be escaped in the executable path of an exec line`);
  return value.replace(/\\/g, '\\\\').replace(/ /g, '\\x20').replace(/\t/g, '\\x09');
}

/** A whole `ExecStart=` value from an argv array. */
export function systemdExecLine(argv: readonly string[], sources: readonly string[] = []): string {
  if (!argv.length) throw new Error('empty argv');
  return [
    systemdExecPath(argv[0]!, sources[0] ?? 'executable'),
    ...argv.slice(1).map((a, i) => systemdExecArg(a, sources[i + 1] ?? `argument ${i + 1}`)),
  ].join(' ');
}
