import { sql } from 'kysely';
import { isoNow } from '../../time.js';
import * as m0001 from './0001-init.js';
import * as m0002 from './0002-agent-sla.js';
import type { Db } from '../driver.js';

/** Versioned migrations, applied in order at start; never edit one that has shipped. */
export const MIGRATIONS: { version: number; name: string; up: (db: Db) => Promise<void> }[] = [
  { version: 1, name: 'init', up: m0001.up },
  { version: 2, name: 'agent-sla', up: m0002.up },
];

/**
 * Applies pending migrations inside one transaction. `lock` serialises concurrent starters
 * (an advisory lock on PostgreSQL; the write transaction itself on SQLite).
 */
export async function migrate(db: Db, lock?: (trx: Db) => Promise<void>): Promise<number[]> {
  return db.transaction().execute(async (trx) => {
    if (lock) await lock(trx);
    await trx.schema.createTable('cp_migration').ifNotExists()
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull()).addColumn('applied', 'text', (c) => c.notNull()).execute();
    const done = await trx.selectFrom('cp_migration').select('version').execute();
    const have = new Set(done.map((r) => Number(r.version)));
    const applied: number[] = [];
    for (const m of MIGRATIONS) {
      if (have.has(m.version)) continue;
      await m.up(trx);
      await trx.insertInto('cp_migration').values({ version: m.version, name: m.name, applied: isoNow() }).execute();
      applied.push(m.version);
    }
    return applied;
  });
}

export const pgMigrationLock = async (trx: Db): Promise<void> => {
  await sql`select pg_advisory_xact_lock(4200)`.execute(trx);
};
