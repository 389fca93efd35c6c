import pg from 'pg';
import { newStore, type StoreKind, type StoreLocation } from '@prefect-ts/bench';
import { startControlPlane, type ControlPlane } from '@prefect-ts/control-plane';

export type { StoreKind, StoreLocation };
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

/** Where a suite's control plane keeps its data: a tmp dir, or a fresh PostgreSQL database. */
export const storeLocation = (kind: StoreKind): Promise<StoreLocation> => newStore(kind, 'e2e');

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
