import { fail, rejectControl, requireAbsolutePath, type EscapeContext } from './common.js';
import { hasInlineComment } from './python-space.js';

const SAFE = /^[A-Za-z0-9_@+=:,./-]+$/;

/**
 * One word of a supervisord `command=`: supervisor `%`-expands the value, then splits it with
 * POSIX `shlex.split` and execs it without a shell. Words outside a safe set are double-quoted
 * with `\` and `"` escaped; `%` is doubled. Whitespace followed by `;` or `#` starts an inline
 * comment that no quoting prevents (Supervisor/supervisor#857): rejected.
 */
export function supervisordCommandWord(value: string, field: string): string {
  const ctx: EscapeContext = { field, format: 'supervisord' };
  rejectControl(value, ctx);
  if (hasInlineComment(value)) {
    fail(ctx, value, 'supervisord treats whitespace followed by ";" or "#" as the start of a comment, even inside quotes, and has no escape for it');
  }
  const quoted = SAFE.test(value) ? value : `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/%/g, '%%');
}

/** A whole `command=` value from an argv array (argv[0] must be absolute). */
export function supervisordCommand(argv: readonly string[], sources: readonly string[] = []): string {
  if (!argv.length) throw new Error('empty argv');
  requireAbsolutePath(argv[0]!, { field: sources[0] ?? 'executable', format: 'supervisord' });
  return argv.map((a, i) => supervisordCommandWord(a, sources[i] ?? `argument ${i}`)).join(' ');
}
