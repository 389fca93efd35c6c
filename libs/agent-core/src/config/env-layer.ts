import { looksStructured, parseLiteral } from './literal.js';
import type { SettingSpec } from './settings-spec.js';

export interface EnvValue {
  name: string;
  value: unknown;
}

/** Finds a setting's `PREFECT__...` variable (names are case-insensitive, as in Prefect). */
export function envValue(spec: SettingSpec, env: NodeJS.ProcessEnv): EnvValue | undefined {
  let name = spec.env;
  let raw = env[name];
  if (raw === undefined) {
    const match = Object.keys(env).find((k) => k.toUpperCase() === spec.env);
    if (match === undefined) return undefined;
    name = match;
    raw = env[match];
  }
  if (raw === undefined) return undefined;
  if (spec.type === 'string') return { name, value: unquote(raw) };
  const value = parseLiteral(raw);
  if ((spec.type === 'list' || spec.type === 'table') && typeof value === 'string' && looksStructured(raw)) {
    throw new Error(
      `"${raw}" looks like a ${spec.type === 'list' ? 'list' : 'table'} but is not valid JSON or TOML` +
        (spec.type === 'list' ? ' (write it as ["a", "b"])' : ' (write it as {"KEY": "VALUE"})'),
    );
  }
  return { name, value };
}

function unquote(raw: string): string {
  const m = /^\s*(["'])(.*)\1\s*$/s.exec(raw);
  return m ? m[2] : raw;
}
