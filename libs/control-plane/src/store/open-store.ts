import { homedir } from 'node:os';
import { join } from 'node:path';
import { ControlPlaneConfigError } from '../errors.js';
import { migrate, pgMigrationLock } from './migrations/index.js';
import { createPostgresDriver } from './postgres/postgres-driver.js';
import { SqlStore } from './sql-store.js';
import { createSqliteDriver } from './sqlite/sqlite-driver.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** Directory of the embedded store (default `~/.prefect/server`). */
  dataDir?: string;
  /** `postgres://...`: use PostgreSQL instead of the embedded store. */
  databaseUrl?: string;
  sqliteSynchronous?: 'NORMAL' | 'FULL';
  onError?: (err: Error) => void;
}

export const defaultDataDir = (): string => join(homedir(), '.prefect', 'server');
export const SQLITE_FILE = 'prefect.sqlite';

/** Opens the configured store and applies pending migrations. */
export async function openStore(options: OpenStoreOptions = {}): Promise<Store> {
  if (options.databaseUrl) {
    if (!/^postgres(ql)?:\/\//.test(options.databaseUrl)) {
      throw new ControlPlaneConfigError('CP_BAD_DATABASE_URL', `--database-url must start with postgres://`, ['pass --database-url postgres://user:pass@host:5432/db']);
    }
    const driver = createPostgresDriver({ url: options.databaseUrl, onError: options.onError });
    try {
      await migrate(driver.db, pgMigrationLock);
      const store = new SqlStore(driver);
      await store.start();
      return store;
    } catch (err) {
      await driver.close().catch(() => undefined);
      throw new ControlPlaneConfigError('CP_DATABASE_UNREACHABLE', `Cannot use the PostgreSQL database at ${driver.location}: ${(err as Error).message}`, ['check --database-url and that PostgreSQL is running'], { cause: err });
    }
  }
  const file = join(options.dataDir ?? defaultDataDir(), SQLITE_FILE);
  const driver = createSqliteDriver({ file, synchronous: options.sqliteSynchronous, onError: options.onError });
  await migrate(driver.db);
  return new SqlStore(driver);
}
