import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { startControlPlane, type ControlPlane } from '@prefect-ts/control-plane';

export type StoreKind = 'sqlite' | 'postgres';
export const TEST_DATABASE_URL = process.env.PREFECT_TS_TEST_DATABASE_URL ?? 'postgres://prefect:prefect@127.0.0.1:5432/prefect_test';

/** PostgreSQL reachable? When CI=true it must be (the suite fails instead of skipping). */
export async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch (error) {
    if (process.env.CI === 'true') throw new Error(`PostgreSQL is required in CI but unreachable at ${TEST_DATABASE_URL}: ${(error as Error).message}`);
    console.warn(`PostgreSQL unreachable at ${TEST_DATABASE_URL}: PostgreSQL end-to-end tests are skipped`);
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Where a suite's control plane keeps its data: a tmp dir, or a fresh PostgreSQL database. */
export interface StoreLocation {
  kind: StoreKind;
  dataDir: string;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

export async function storeLocation(kind: StoreKind): Promise<StoreLocation> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'prefect-e2e-'));
  if (kind === 'sqlite') return { kind, dataDir, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `e2e_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await admin(async (c) => {
        await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      });
    },
  };
}

export interface ServerOptions {
  extensions?: boolean;
  port?: number;
  leaseSeconds?: number;
}

export function startServer(location: StoreLocation, options: ServerOptions = {}): Promise<ControlPlane> {
  return startControlPlane({
    host: '127.0.0.1',
    port: options.port ?? 0,
    dataDir: location.dataDir,
    databaseUrl: location.databaseUrl,
    auth: 'none',
    extensions: options.extensions ?? true,
    leaseSeconds: options.leaseSeconds ?? 10,
  });
}
