import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { StoreLocation } from './processes';

const PAST = '2001-01-01T00:00:00.000Z';
const FUTURE = '2099-01-01T00:00:00.000Z';

/**
 * Copies the template run `templateId` into `future` runs scheduled in 2099 and `due` runs due
 * since 2001, straight in the database (the server must be stopped for SQLite). Ids are valid
 * UUIDs; everything else (tenant, flow, labels, state JSON) is the template's.
 */
export async function seedRuns(store: StoreLocation, templateId: string, future: number, due: number): Promise<void> {
  const batches: { prefix: string; count: number; at: string }[] = [
    { prefix: 'f', count: future, at: FUTURE },
    { prefix: 'd', count: due, at: PAST },
  ];
  if (store.kind === 'sqlite') {
    const db = new Database(path.join(store.dataDir, 'prefect.sqlite'));
    try {
      const cols = (db.prepare('PRAGMA table_info(flow_run)').all() as { name: string }[]).map((c) => c.name);
      for (const b of batches) {
        const select = cols.map((c) => {
          if (c === 'id') return `printf('%08d-0000-4000-8${b.prefix === 'f' ? '0' : '1'}00-%012d', n.i / 1000000, n.i)`;
          if (c === 'state_start_time' || c === 'scheduled_start_time') return `'${b.at}'`;
          if (c === 'idempotency_key') return 'NULL';
          return `t.${c}`;
        });
        db.prepare(
          `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
           INSERT INTO flow_run (${cols.join(', ')}) SELECT ${select.join(', ')} FROM n, flow_run t WHERE t.id = ?`,
        ).run(b.count, templateId);
      }
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: store.databaseUrl });
  await client.connect();
  try {
    const cols = (await client.query(`select column_name from information_schema.columns where table_name = 'flow_run' and table_schema = current_schema() order by ordinal_position`)).rows.map((r) => r.column_name as string);
    for (const b of batches) {
      const select = cols.map((c) => {
        if (c === 'id') return `format('00000000-0000-4000-8${b.prefix === 'f' ? '0' : '1'}00-%s', lpad(i::text, 12, '0'))`;
        if (c === 'state_start_time' || c === 'scheduled_start_time') return `'${b.at}'`;
        if (c === 'idempotency_key') return 'NULL';
        return `t.${c}`;
      });
      await client.query(`INSERT INTO flow_run (${cols.join(', ')}) SELECT ${select.join(', ')} FROM generate_series(1, $1) i, flow_run t WHERE t.id = $2`, [b.count, templateId]);
    }
    await client.query('ANALYZE flow_run');
  } finally {
    await client.end();
  }
}
