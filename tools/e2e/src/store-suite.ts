import type { ControlPlane } from '@prefect-ts/control-plane';
import type { RunningAgent } from './agent';
import { TestApi } from './api';
import { postgresAvailable, startServer, storeLocation, type StoreKind, type StoreLocation } from './server';

/** What an e2e suite against one store shares; filled by the hooks `storeSuite` registers. */
export interface StoreSuite {
  /** Unset when PostgreSQL is unreachable outside CI (`postgresAvailable` warned). */
  location?: StoreLocation;
  server: ControlPlane;
  api: TestApi;
  /** The agent a test started; stopped after each test. */
  agent?: RunningAgent;
  /** `it`, run only when the store is there (otherwise it passes without running). */
  maybe(name: string, fn: () => Promise<void>, timeout?: number): void;
}

/**
 * Registers a suite's hooks: a real control plane on a fresh store before all tests, the test's
 * agent stopped after each, server and store closed after all.
 */
export function storeSuite(kind: StoreKind): StoreSuite {
  const suite = {
    maybe: (name: string, fn: () => Promise<void>, timeout?: number) => it(name, async () => {
      if (!suite.location) return;
      await fn();
    }, timeout),
  } as StoreSuite;
  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresAvailable())) return;
    suite.location = await storeLocation(kind);
    suite.server = await startServer(suite.location);
    suite.api = new TestApi(suite.server.url);
  });
  afterEach(async () => {
    await suite.agent?.stop(false);
    suite.agent = undefined;
  });
  afterAll(async () => {
    await suite.server?.close();
    await suite.location?.dispose();
  });
  return suite;
}
