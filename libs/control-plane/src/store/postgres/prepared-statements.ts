import { createHash } from 'node:crypto';
import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Row } from '../tables.js';

/** A prepared statement's name: the same text always gets the same name, on every connection. */
export const statementName = (text: string): string => `ts_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`;

/**
 * SQLSTATEs that mean the server does not keep our named statements: 26000 "prepared statement
 * does not exist" and 42P05 "already exists", which is what a connection pooler in transaction
 * mode (PgBouncer before 1.21, or without max_prepared_statements) produces when it hands the
 * statement's Parse and its Bind to different server connections. Both are raised before
 * anything runs, so the query can be sent again.
 */
const NOT_KEPT = new Set(['26000', '42P05']);

/**
 * Runs compiled queries as named prepared statements on `pool`. When the server turns out not
 * to keep them, says so once through `onError` and sends every later query unnamed.
 */
export function preparedStatements(pool: pg.Pool, onError?: (err: Error) => void): (query: CompiledQuery) => Promise<Row[]> {
  let named = true;
  return async (query) => {
    const values = [...query.parameters];
    if (named) {
      try {
        return (await pool.query<Row>({ name: statementName(query.sql), text: query.sql, values })).rows;
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (!code || !NOT_KEPT.has(code)) throw err;
        named = false;
        onError?.(new Error(`PostgreSQL did not keep a prepared statement (${code}: ${(err as Error).message}); is a connection pooler in transaction mode in between? Using unnamed statements from now on`));
      }
    }
    return (await pool.query<Row>(query.sql, values)).rows;
  };
}
