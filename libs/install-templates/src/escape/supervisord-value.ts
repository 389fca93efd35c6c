import { fail, rejectControl, requireAbsolutePath, type EscapeContext } from './common.js';
import { hasEdgeSpace, hasInlineComment } from './python-space.js';

/**
 * A plain supervisord value (`directory=`, `user=`, log paths, socket paths): taken literally
 * after `%` expansion and stripping; so `%` is doubled, edge whitespace and inline-comment
 * sequences are rejected.
 */
export function supervisordValue(value: string, field: string, options: { path?: boolean; noPercent?: boolean } = {}): string {
  const ctx: EscapeContext = { field, format: 'supervisord' };
  if (options.path) requireAbsolutePath(value, ctx);
  else rejectControl(value, ctx);
  // program log file names are %-expanded twice (supervisor/options.py processes_from_section)
  if (options.noPercent && value.includes('%')) fail(ctx, value, 'supervisord expands % in program log file names twice, so no escape is stable');
  if (hasInlineComment(value)) fail(ctx, value, 'supervisord treats whitespace followed by ";" or "#" as the start of a comment');
  if (hasEdgeSpace(value)) fail(ctx, value, 'supervisord strips leading and trailing whitespace from values');
  if (value === '') fail(ctx, value, 'it must not be empty');
  return value.replace(/%/g, '%%');
}

/** `[program:NAME]`: `:` is supervisorctl's group separator; keep to a portable set. */
export function supervisordProgramName(value: string): string {
  if (!/^[A-Za-z0-9_.-]+$/.test(value)) fail({ field: 'service name', format: 'supervisord' }, value, 'program names are limited to [A-Za-z0-9_.-]');
  return value;
}
