import { fail, rejectControl } from './common.js';

/** A free-text setting such as `Description=`: specifiers expand (`%` doubled); no line continuation. */
export function systemdPlain(value: string, field: string): string {
  rejectControl(value, { field, format: 'systemd' });
  if (value.endsWith('\\')) fail({ field, format: 'systemd' }, value, 'a trailing backslash continues the line');
  return value.replace(/%/g, '%%');
}
