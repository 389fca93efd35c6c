import type Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import { LruMap } from '../lru-map.js';

/**
 * better-sqlite3 behind Kysely, with prepared statements kept by their SQL text. Kysely prepares
 * every query anew, and `prepare` (SQLite parsing and planning the statement) was the largest
 * single cost of a claim after the query itself. The cache is a bounded LRU: the SQL of Hasura
 * filters and of `IN (?, ?, …)` lists varies, so old shapes are evicted (and finalized by GC).
 * A statement still being iterated (Kysely's `stream()`) is busy and is never handed out twice.
 */
export function withStatementCache(database: Database.Database, max = 256): SqliteDatabase {
  const cache = new LruMap<string, Database.Statement>(max);
  return {
    close: () => database.close(),
    prepare(sqlText: string): SqliteStatement {
      const hit = cache.get(sqlText);
      if (hit && !hit.busy) return hit as unknown as SqliteStatement;
      const statement = database.prepare(sqlText);
      cache.set(sqlText, statement);
      return statement as unknown as SqliteStatement;
    },
  };
}
