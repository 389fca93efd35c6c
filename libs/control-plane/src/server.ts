import { issueApiKey } from './auth/api-keys.js';
import { ControlPlaneConfigError } from './errors.js';
import { buildApp } from './http/app.js';
import type { Runtime } from './resolvers/context.js';
import { agentSlaService } from './services/agent-sla.js';
import { forgiveDowntime, leaseSweeper } from './services/lease-sweeper.js';
import type { BackgroundService } from './services/service.js';
import { openStore, type OpenStoreOptions } from './store/open-store.js';
import type { Store } from './store/store.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface ControlPlaneOptions extends OpenStoreOptions {
  /** default 127.0.0.1 */
  host?: string;
  /** default 4200; 0 = a random free port */
  port?: number;
  /** default 'none' */
  auth?: 'none' | 'api-key';
  /** allow a non-loopback bind without --auth api-key */
  insecure?: boolean;
  /** lease granted by claim_flow_runs and agent_heartbeat; default 10 */
  leaseSeconds?: number;
  /** how often lost leases are swept; default 1000 */
  sweepIntervalMs?: number;
  /** claims after which a lost run is Failed; default 3 */
  maxAttempts?: number;
  /** how often agent configs' SLAs are checked (and due webhooks sent); default 1000 */
  slaCheckIntervalMs?: number;
  /** SLA webhook delivery: attempts per event (default 5), first retry delay doubling (default 1000), per-attempt timeout (default 5000) */
  slaWebhook?: { maxAttempts?: number; backoffMs?: number; timeoutMs?: number };
  /** offer claim_flow_runs / agent_heartbeat; default true */
  extensions?: boolean;
  /** request body limit in bytes; default 8 MiB */
  bodyLimit?: number;
  /** use this store instead of opening one (it is not closed by close()) */
  store?: Store;
  /** extra background services, started after the lease sweeper */
  services?: ((store: Store, log: (level: LogLevel, message: string) => void) => BackgroundService)[];
  log?: (level: LogLevel, message: string) => void;
}

export interface ControlPlane {
  url: string;
  store: Store;
  close(): Promise<void>;
}

export const CONTROL_PLANE_VERSION = '0.1.0';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** Opens the store (migrating it), forgives server downtime, starts services and listens. */
export async function startControlPlane(options: ControlPlaneOptions = {}): Promise<ControlPlane> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? 'none';
  const log = options.log ?? (() => undefined);
  if (!LOOPBACK.has(host) && auth !== 'api-key' && !options.insecure) {
    throw new ControlPlaneConfigError('CP_INSECURE_BIND', `Refusing to listen on ${host} without API keys`, [
      'add --auth api-key (and create keys with `prefect server create-api-key`)',
      'or pass --insecure if this network is trusted',
    ]);
  }
  const store = options.store ?? (await openStore({ ...options, onError: (e) => log('error', `Database error: ${e.message}`) }));
  const ownsStore = !options.store;
  const closing = new AbortController();
  const release = (): void => closing.abort();
  const rt: Runtime = {
    store, auth, closing: closing.signal, log, extensions: options.extensions ?? true, leaseSeconds: options.leaseSeconds ?? 10,
    maxWaitSeconds: 60, version: CONTROL_PLANE_VERSION,
  };
  const services: BackgroundService[] = [];
  try {
    if (auth === 'none') await store.defaultTenant(true);
    await forgiveDowntime(store, log);
    const app = await buildApp(rt, { bodyLimit: options.bodyLimit ?? 8 * 1024 * 1024 });
    try {
      await app.listen({ host, port: options.port ?? 4200 });
    } catch (err) {
      await app.close();
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
        throw new ControlPlaneConfigError('CP_PORT_UNAVAILABLE', `Cannot listen on ${host}:${options.port ?? 4200} (${code})`, ['choose another port with --port', 'or stop the process using it'], { cause: err });
      }
      throw err;
    }
    services.push(leaseSweeper({ store, intervalMs: options.sweepIntervalMs ?? 1000, maxAttempts: options.maxAttempts ?? 3, log }));
    services.push(agentSlaService({ store, intervalMs: options.slaCheckIntervalMs ?? 1000, ...options.slaWebhook, log }));
    for (const make of options.services ?? []) services.push(make(store, log));
    for (const s of services) s.start();
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : options.port;
    const urlHost = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
    let closed: Promise<void> | undefined;
    return {
      url: `http://${urlHost}:${port}`,
      store,
      close: () =>
        (closed ??= (async () => {
          release();
          for (const s of services) await s.stop();
          await app.close();
          if (ownsStore) await store.close();
        })()),
    };
  } catch (err) {
    release();
    if (ownsStore) await store.close();
    throw err;
  }
}

/** `prefect server create-tenant`: opens the store, creates the tenant, closes the store. */
export async function createTenant(options: OpenStoreOptions & { name: string; slug?: string }): Promise<{ id: string; name: string; slug: string }> {
  const store = await openStore(options);
  try {
    const row = await store.createTenant({ name: options.name, slug: options.slug });
    return { id: row.id as string, name: row.name as string, slug: row.slug as string };
  } finally {
    await store.close();
  }
}

/** `prefect server create-api-key`: a new key for the tenant given by id, slug or name. The key is shown once. */
export async function createApiKey(options: OpenStoreOptions & { tenant: string; name?: string }): Promise<{ id: string; key: string; tenantId: string }> {
  const store = await openStore(options);
  try {
    const tenant = await store.findTenant(options.tenant);
    if (!tenant) {
      throw new ControlPlaneConfigError('CP_TENANT_NOT_FOUND', `No tenant "${options.tenant}"`, ['create one with `prefect server create-tenant --name <name>`']);
    }
    const { id, key } = await issueApiKey(store, tenant.id as string, options.name);
    return { id, key, tenantId: tenant.id as string };
  } finally {
    await store.close();
  }
}
