import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Db, StoreDriver } from '../driver.js';
import { preparedStatements } from './prepared-statements.js';

const CHANNEL = 'prefect_ts_runs';

export const redactUrl = (url: string): string => url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');

/**
 * PostgreSQL backend: a pg pool for queries, one dedicated connection for LISTEN so that a run
 * created through one replica wakes claims waiting on another. The listener reconnects.
 * Notifications carry the sending replica's id: a replica has already woken its own claims, and
 * a second, echoed wake-up would only cost an empty claim on the dispatch path.
 */
export function createPostgresDriver(options: { url: string; poolSize?: number; onError?: (err: Error) => void }): StoreDriver {
  const pool = new pg.Pool({ connectionString: options.url, max: options.poolSize ?? 10 });
  pool.on('error', (err) => options.onError?.(err));
  const db: Db = new Kysely({ dialect: new PostgresDialect({ pool }) });
  const replica = randomUUID();
  let listener: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  const connectListener = async (onTenant: (tenantId: string) => void): Promise<void> => {
    const client = new pg.Client({ connectionString: options.url });
    client.on('notification', (msg) => {
      if (!msg.payload) return;
      const [from, tenantId] = msg.payload.split(' ');
      if (tenantId === undefined) onTenant(from); // a replica that does not say who it is
      else if (from !== replica) onTenant(tenantId);
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
    prepared: preparedStatements(pool, options.onError),
    notify: (tenantId) => {
      // after the current request's answer is on its way: this replica's own long polls were
      // woken already, the others can wait the moment it takes
      setImmediate(() => {
        if (closed) return;
        pool.query('select pg_notify($1, $2)', [CHANNEL, `${replica} ${tenantId}`]).catch((err) => options.onError?.(err));
      });
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
