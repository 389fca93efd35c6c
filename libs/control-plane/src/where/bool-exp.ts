import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { badInput } from '../errors.js';
import { TABLES, type ColumnType, type TableName } from '../store/tables.js';

/** A Hasura `<table>_bool_exp` value, already coerced by GraphQL (timestamps canonical). */
export type BoolExp = { [key: string]: unknown };

const TRUE = sql<SqlBool>`1 = 1`;
const FALSE = sql<SqlBool>`1 = 0`;

export class AliasCounter {
  private n = 0;
  next(): string {
    return `t${this.n++}`;
  }
}

function encodeValue(type: ColumnType, value: unknown): unknown {
  if (type === 'bool') return value ? 1 : 0;
  if (type === 'json') return JSON.stringify(value);
  return value;
}

function comparison(ref: RawBuilder<unknown>, type: ColumnType, exp: Record<string, unknown>): RawBuilder<SqlBool>[] {
  const parts: RawBuilder<SqlBool>[] = [];
  for (const [op, raw] of Object.entries(exp)) {
    if (raw === undefined) continue;
    if (op === '_is_null') {
      parts.push(raw ? sql<SqlBool>`${ref} is null` : sql<SqlBool>`${ref} is not null`);
      continue;
    }
    if (raw === null) throw badInput(`Comparison ${op} does not accept null`);
    if (op === '_in' || op === '_nin') {
      const list = (raw as unknown[]).map((v) => encodeValue(type, v));
      if (list.length === 0) parts.push(op === '_in' ? FALSE : TRUE);
      else {
        const items = sql.join(list.map((v) => sql`${v}`));
        parts.push(op === '_in' ? sql<SqlBool>`${ref} in (${items})` : sql<SqlBool>`${ref} not in (${items})`);
      }
      continue;
    }
    const v = encodeValue(type, raw);
    switch (op) {
      case '_eq': parts.push(sql<SqlBool>`${ref} = ${v}`); break;
      case '_neq': parts.push(sql<SqlBool>`(${ref} <> ${v} or ${ref} is null)`); break;
      case '_gt': parts.push(sql<SqlBool>`${ref} > ${v}`); break;
      case '_gte': parts.push(sql<SqlBool>`${ref} >= ${v}`); break;
      case '_lt': parts.push(sql<SqlBool>`${ref} < ${v}`); break;
      case '_lte': parts.push(sql<SqlBool>`${ref} <= ${v}`); break;
      case '_like': parts.push(sql<SqlBool>`${ref} like ${v}`); break;
      case '_ilike': parts.push(sql<SqlBool>`lower(${ref}) like lower(${v})`); break;
      default: throw badInput(`Unknown comparison operator ${op}`);
    }
  }
  return parts;
}

const and = (parts: RawBuilder<SqlBool>[]): RawBuilder<SqlBool> =>
  parts.length === 0 ? TRUE : parts.length === 1 ? parts[0] : sql<SqlBool>`(${sql.join(parts, sql` and `)})`;

/** Translates a Hasura bool_exp on `table` (aliased `alias`) into one SQL boolean expression. */
export function boolExpToSql(table: TableName, alias: string, exp: BoolExp | null | undefined, aliases: AliasCounter): RawBuilder<SqlBool> {
  if (!exp) return TRUE;
  const meta = TABLES[table];
  const parts: RawBuilder<SqlBool>[] = [];
  for (const [key, value] of Object.entries(exp)) {
    if (value === undefined || value === null) continue;
    if (key === '_and') {
      parts.push(and((value as BoolExp[]).map((e) => boolExpToSql(table, alias, e, aliases))));
    } else if (key === '_or') {
      const list = (value as BoolExp[]).map((e) => boolExpToSql(table, alias, e, aliases));
      parts.push(list.length === 0 ? TRUE : sql<SqlBool>`(${sql.join(list, sql` or `)})`);
    } else if (key === '_not') {
      parts.push(sql<SqlBool>`not ${boolExpToSql(table, alias, value as BoolExp, aliases)}`);
    } else if (meta.columns[key]) {
      parts.push(...comparison(sql.ref(`${alias}.${key}`), meta.columns[key], value as Record<string, unknown>));
    } else if (meta.relations[key]) {
      const rel = meta.relations[key];
      const sub = aliases.next();
      const inner = boolExpToSql(rel.table, sub, value as BoolExp, aliases);
      parts.push(sql<SqlBool>`exists (select 1 from ${sql.table(rel.table)} as ${sql.raw(sub)} where ${sql.ref(`${sub}.${rel.remoteKey}`)} = ${sql.ref(`${alias}.${rel.localKey}`)} and ${inner})`);
    } else {
      throw badInput(`Unknown field "${key}" in ${table}_bool_exp`);
    }
  }
  return and(parts);
}

export type OrderBy = Record<string, string | undefined>;

/** `order_by: [{ created: desc }]` → `order by "t0"."created" desc nulls first`. */
export function orderByToSql(table: TableName, alias: string, orderBy: OrderBy[] | OrderBy | null | undefined): RawBuilder<unknown> {
  const list = orderBy ? (Array.isArray(orderBy) ? orderBy : [orderBy]) : [];
  const items: RawBuilder<unknown>[] = [];
  for (const entry of list) {
    for (const [col, dir] of Object.entries(entry)) {
      if (!dir) continue;
      if (!TABLES[table].columns[col]) throw badInput(`Cannot order ${table} by "${col}"`);
      const ref = sql.ref(`${alias}.${col}`);
      if (dir === 'asc' || dir === 'asc_nulls_last') items.push(sql`${ref} asc nulls last`);
      else if (dir === 'asc_nulls_first') items.push(sql`${ref} asc nulls first`);
      else if (dir === 'desc' || dir === 'desc_nulls_first') items.push(sql`${ref} desc nulls first`);
      else if (dir === 'desc_nulls_last') items.push(sql`${ref} desc nulls last`);
      else throw badInput(`Unknown order direction ${dir}`);
    }
  }
  return items.length ? sql`order by ${sql.join(items)}` : sql``;
}
