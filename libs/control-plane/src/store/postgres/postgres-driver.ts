import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db, StoreDriver } from '../driver.js';

const CHANNEL = 'prefect_ts_runs';

export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/**
 * PostgreSQL backend: a pg pool for queries, one dedicated connection for LISTEN so that a run
 * created through one replica wakes claims waiting on another. The listener reconnects.
 */
export function createPostgresDriver(options: { url: string; poolSize?: number; onError?: (err: Error) => void }): StoreDriver {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  pool.on('error', (err) => options.onError?.(err));
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connectListener = async (onTenant: (tenantId: string) => void): Promise<void> => {
    const client = new pg.Client({ connectionString: options.url });
    client.on('notification', (msg) => {
      if (msg.payload) onTenant(msg.payload);
    });
    client.on('error', (err) => {
      options.onError?.(err);
      client.end().catch(() => undefined);
      if (!closed) retry = setTimeout(() => connectListener(onTenant).catch(() => undefined), 1000);
    });
    await client.connect();
    await client.query(`LISTEN ${CHANNEL}`);
    listener = client;
    onTenant('*'); // anything may have happened while we were not listening
  };

  return {
    kind: 'postgres',
    location: redactUrl(options.url),
    db,
    skipLocked: true,
    write: (fn) => db.transaction().execute(fn),
    notify: (tenantId) => {
      pool.query('select pg_notify($1, $2)', [CHANNEL, tenantId]).catch((err) => options.onError?.(err));
    },
    listen: (onTenant) => connectListener(onTenant),
    close: async () => {
      closed = true;
      if (retry) clearTimeout(retry);
      await listener?.end().catch(() => undefined);
      await db.destroy();
    },
  };
}
