import { UnrepresentableValueError } from '../errors.js';
import type { ServiceFormat } from '../service-spec.js';

export interface EscapeContext {
  field: string;
  format: ServiceFormat;
}

export function fail(ctx: EscapeContext, value: string, reason: string): never {
  throw new UnrepresentableValueError(ctx.field, ctx.format, reason, value);
}

// C0 controls except TAB, DEL, C1 controls (systemd silently drops values with them), the Unicode
// line/paragraph separators (XML parsers normalise them) and the XML-illegal non-characters.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\ufffe\uffff]/;

/** Rejects what no format can carry: NUL, CR, LF and other control characters, broken UTF-16. */
export function rejectControl(value: string, ctx: EscapeContext): void {
  const m = CONTROL.exec(value);
  if (m) {
    const code = m[0].codePointAt(0)!.toString(16).padStart(4, '0');
    fail(ctx, value, `it contains the control character U+${code.toUpperCase()} (line breaks, NUL and other control characters are never written to service files)`);
  }
  if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) fail(ctx, value, 'it contains an unpaired UTF-16 surrogate (not valid UTF-8)');
}

/** An absolute, normalised POSIX path (what `path.resolve` returns). */
export function requireAbsolutePath(value: string, ctx: EscapeContext): void {
  rejectControl(value, ctx);
  if (!value.startsWith('/')) fail(ctx, value, 'it must be an absolute path');
  const parts = value.split('/').slice(1);
  if (value !== '/' && parts.some((p) => p === '' || p === '.' || p === '..')) {
    fail(ctx, value, 'it must be a normalised path (no empty, "." or ".." components, no trailing slash)');
  }
}
