import { badInput } from './errors.js';

/**
 * Timestamps are stored as canonical UTC ISO-8601 strings (`2026-01-01T00:00:00.000Z`) in
 * both stores, so that text order is time order and every query is written once.
 */
export const isoNow = (): string => new Date().toISOString();
export const isoAt = (ms: number): string => new Date(ms).toISOString();

const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Parses an ISO-8601 date or date-time (any zone; none = UTC) into the canonical form. */
export function toIsoTimestamp(value: unknown): string {
  if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
  if (typeof value !== 'string') throw badInput(`Invalid timestamp: expected an ISO-8601 string`);
  const m = ISO.exec(value.trim());
  if (!m) throw badInput(`Invalid timestamp: ${JSON.stringify(value.slice(0, 64))}`);
  const [, date, time = '00:00:00', frac = '', zone = 'Z'] = m;
  const ms = frac ? frac.slice(0, 4).padEnd(4, '0') : '';
  const z = zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone.length === 3 ? `${zone}:00` : zone;
  const t = Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${ms}${z}`);
  if (Number.isNaN(t)) throw badInput(`Invalid timestamp: ${JSON.stringify(value.slice(0, 64))}`);
  return new Date(t).toISOString();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function toUuid(value: unknown): string {
  if (typeof value !== 'string' || !UUID.test(value)) {
    throw badInput(`Invalid UUID: ${JSON.stringify(String(value).slice(0, 64))}`);
  }
  return value.toLowerCase();
}

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);
