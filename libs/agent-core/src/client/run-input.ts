import { UsageError } from '../errors.js';

/**
 * `--param k=v` values: JSON when the text parses as JSON (`n=3`, `ok=true`, `xs=[1,2]`,
 * `s="quoted"`), otherwise the text itself (`day=2024-01-01`, `name=Ada`).
 */
export function parseParamValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Parses `--params JSON` (an object) and `--param k=v` pairs; pairs win over the object. */
export function parseParameters(pairs: string[] = [], json?: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (json !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(json);
    } catch (error) {
      throw new UsageError(`--params: not valid JSON: ${(error as Error).message}`, { code: 'INVALID_PARAMS', suggestions: [`pass a JSON object, e.g. --params '{"day": "2024-01-01"}'`] });
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      throw new UsageError('--params: must be a JSON object', { code: 'INVALID_PARAMS', suggestions: [`pass a JSON object, e.g. --params '{"day": "2024-01-01"}'`] });
    }
    Object.assign(out, parsed);
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) {
      throw new UsageError(`--param: expected KEY=VALUE, got "${pair}"`, { code: 'INVALID_PARAM', suggestions: ['pass --param day=2024-01-01 (the value is read as JSON when it is JSON)'] });
    }
    out[pair.slice(0, eq).trim()] = parseParamValue(pair.slice(eq + 1));
  }
  return out;
}

const UNITS: Record<string, number> = {
  ms: 1, s: 1000, sec: 1000, secs: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, mins: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hr: 3_600_000, hrs: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000, w: 604_800_000, week: 604_800_000, weeks: 604_800_000,
};

/** `90s`, `10m`, `1h30m`, `2 days`, `1.5h`; a bare number is seconds. Returns milliseconds. */
export function parseDuration(text: string): number {
  const input = text.trim().toLowerCase();
  const invalid = () => new UsageError(`Invalid duration "${text}"`, { code: 'INVALID_DURATION', suggestions: ['use a number with a unit: 30s, 10m, 1h30m, 2d'] });
  if (/^\d+(\.\d+)?$/.test(input)) return Math.round(Number(input) * 1000);
  const part = /(\d+(?:\.\d+)?)\s*([a-z]+)\s*/gy;
  let total = 0;
  let matched = 0;
  for (let m = part.exec(input); m; m = part.exec(input)) {
    const unit = UNITS[m[2]];
    if (unit === undefined) throw invalid();
    total += Number(m[1]) * unit;
    matched = part.lastIndex;
  }
  if (!input || matched !== input.length) throw invalid();
  return Math.round(total);
}

/** The run's scheduled start from `--start-in` or `--start-at` (not both); undefined = now. */
export function resolveStartTime(options: { startIn?: string; startAt?: string }, now: Date = new Date()): string | undefined {
  if (options.startIn !== undefined && options.startAt !== undefined) {
    throw new UsageError('--start-in and --start-at cannot be used together', { code: 'CONFLICTING_FLAGS', suggestions: ['pass only one of them'] });
  }
  if (options.startIn !== undefined) return new Date(now.getTime() + parseDuration(options.startIn)).toISOString();
  if (options.startAt !== undefined) {
    const text = options.startAt.trim();
    const ms = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}/.test(text) || Number.isNaN(ms)) {
      throw new UsageError(`--start-at: "${options.startAt}" is not an ISO-8601 date-time`, { code: 'INVALID_START_AT', suggestions: ['e.g. --start-at 2030-01-01T09:00:00Z'] });
    }
    return new Date(ms).toISOString();
  }
  return undefined;
}
