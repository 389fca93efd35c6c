import { ControlPlaneError } from '../errors.js';
import type { ByIdBatcher } from './by-id-batcher.js';
import type { Scope, Store } from '../store/store.js';
import { toUuid } from '../time.js';

export interface Runtime {
  store: Store;
  auth: 'none' | 'api-key';
  extensions: boolean;
  leaseSeconds: number;
  maxWaitSeconds: number;
  version: string;
  /**
   * aborted when the server starts closing: long polls answer at once. A signal, not a promise:
   * its listeners can be removed, where every `.then` on a long-lived promise stays attached
   * (that retained one closure per claim and grew the server's heap for as long as it ran).
   */
  closing: AbortSignal;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** What every resolver sees for one request. */
export interface RequestContext {
  rt: Runtime;
  scope: Scope;
  /** X-PREFECT-TENANT-ID (auth none only: with keys the key decides) */
  tenantHeader?: string;
  agentId?: string;
  coreVersion?: string;
  /** aborted when the client goes away (long polls stop claiming) */
  signal: AbortSignal;
  /** by-id lookups of nested relations, batched per tick (created on first use) */
  batch?: ByIdBatcher;
}

let defaultTenantId: { store: Store; id: string } | undefined;

/** The tenant a write belongs to: the key's tenant, else the input's, the header's, or the default. */
export async function tenantFor(ctx: RequestContext, inputTenantId?: string | null): Promise<string> {
  if (ctx.scope.tenantId) {
    if (inputTenantId && inputTenantId !== ctx.scope.tenantId) {
      throw new ControlPlaneError('FORBIDDEN', 'This API key belongs to another tenant');
    }
    return ctx.scope.tenantId;
  }
  const explicit = inputTenantId ?? ctx.tenantHeader;
  if (explicit) return toUuid(explicit);
  if (defaultTenantId?.store !== ctx.rt.store) {
    const row = await ctx.rt.store.defaultTenant(true);
    if (!row) throw new ControlPlaneError('NOT_FOUND', 'No tenant exists; run `prefect server create-tenant`');
    defaultTenantId = { store: ctx.rt.store, id: row.id as string };
  }
  return defaultTenantId.id;
}

/** Inputs typed JSON may arrive JSON-encoded as a string (the Python client does this). */
export function jsonInput<T = unknown>(value: unknown, field: string): T {
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    throw new ControlPlaneError('BAD_USER_INPUT', `${field} is not valid JSON`);
  }
}

export function requireExtensions(ctx: RequestContext, name: string): void {
  if (!ctx.rt.extensions) throw new ControlPlaneError('FORBIDDEN', `${name} is not enabled on this server (see server_info.features)`);
}
