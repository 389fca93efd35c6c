import { parse as parseToml } from 'smol-toml';

/**
 * Prefect's `string_to_type` for environment values: `true`/`false` (any case) become booleans,
 * JSON or TOML literals (numbers, lists, tables, quoted strings) become values, anything else
 * stays the raw string. Python-style lists with single quotes (`['dev', 'staging']`) are valid
 * TOML, so they parse too.
 */
export function parseLiteral(raw: string): unknown {
  const text = raw.trim();
  if (/^true$/i.test(text)) return true;
  if (/^false$/i.test(text)) return false;
  if (text === '') return raw;
  try {
    return JSON.parse(text);
  } catch {
    /* not JSON */
  }
  if (/^[[{'"+\-0-9]/.test(text)) {
    try {
      return parseToml(`v = ${text}`).v;
    } catch {
      /* not a TOML literal either */
    }
  }
  return raw;
}

/** True when the raw text was meant as a list or table (so a parse failure is an error). */
export function looksStructured(raw: string): boolean {
  return /^\s*[[{]/.test(raw);
}
