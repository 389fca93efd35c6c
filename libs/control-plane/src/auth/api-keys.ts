import { createHash, randomBytes } from 'node:crypto';
import { ControlPlaneError } from '../errors.js';
import type { Store } from '../store/store.js';

export const API_KEY_PREFIX = 'pcp_';

export const hashApiKey = (key: string): string => createHash('sha256').update(key).digest('hex');

/** A new random key (32 bytes, base64url) for a tenant; only its sha256 hash is stored. */
export async function issueApiKey(store: Store, tenantId: string, name?: string): Promise<{ id: string; key: string }> {
  const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  const { id } = await store.insertApiKey({ tenantId, name, keyHash: hashApiKey(key), prefix: key.slice(0, 10) });
  return { id, key };
}

/** Resolves `Authorization: Bearer <key>` to a tenant, with a short cache of known keys. */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, { tenantId: string; until: number }>();
  constructor(private readonly store: Store, private readonly ttlMs = 30_000) {}

  async tenantFor(authorization: string | undefined): Promise<string> {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
    if (!match) throw new ControlPlaneError('UNAUTHENTICATED', 'Missing API key: send "Authorization: Bearer <key>"');
    const hash = hashApiKey(match[1]);
    const hit = this.cache.get(hash);
    if (hit && hit.until > Date.now()) return hit.tenantId;
    const found = await this.store.findApiKey(hash);
    if (!found) throw new ControlPlaneError('UNAUTHENTICATED', 'Invalid API key');
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(hash, { tenantId: found.tenantId, until: Date.now() + this.ttlMs });
    return found.tenantId;
  }
}
