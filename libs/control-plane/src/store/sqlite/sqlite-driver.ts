import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Db, StoreDriver } from '../driver.js';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './checkpointer.js';
import { withStatementCache } from './statement-cache.js';

export interface SqliteOptions {
  file: string;
  /**
   * `NORMAL` (default): in WAL mode a commit is written to the WAL with write(2) before it is
   * acknowledged, so a killed server process (kill -9) loses nothing; only an OS crash or
   * power cut can lose the last commits. `FULL` also fsyncs every commit (power-cut safe, slower).
   */
  synchronous?: 'NORMAL' | 'FULL';
  /** How often the checkpoint worker runs (ms); default 200. */
  checkpointIntervalMs?: number;
  /** Checkpoint failures (the main connection's fallback autocheckpoint still bounds the WAL). */
  onError?: (err: Error) => void;
}

/**
 * The embedded store: one better-sqlite3 connection in WAL mode, writes serialised, statements
 * cached, and the WAL checkpointed on a worker thread (`checkpointer.ts`) instead of in commits.
 */
export function createSqliteDriver(options: SqliteOptions): StoreDriver {
  if (options.file !== ':memory:') mkdirSync(dirname(options.file), { recursive: true });
  const database = new Database(options.file);
  database.pragma('journal_mode = WAL');
  database.pragma(`synchronous = ${options.synchronous ?? 'NORMAL'}`);
  database.pragma('busy_timeout = 5000');
  const memory = options.file === ':memory:';
  // the worker does the checkpoints; a commit only checkpoints if the worker falls far behind
  if (!memory) database.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  const checkpointer = memory ? undefined : startCheckpointer(options.file, { intervalMs: options.checkpointIntervalMs, onError: options.onError });
  const db: Db = new Kysely({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return {
    kind: 'sqlite',
    location: options.file,
    db,
    skipLocked: false,
    write: (fn) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await fn(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (err) {
          await sql`rollback`.execute(conn).catch(() => undefined);
          throw err;
        }
      }),
    notify: () => undefined,
    listen: async () => undefined,
    close: async () => {
      await checkpointer?.close();
      await db.destroy();
    },
  };
}
