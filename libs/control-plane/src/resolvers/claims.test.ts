import { getEventListeners } from 'node:events';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { tempDir } from '../testing/temp-dir.js';
import { claimWithWait } from './claims.js';
import type { RequestContext, Runtime } from './context.js';

/** A waiting claim against a real SQLite store: what it leaves attached once it has answered. */
describe('claimWithWait', () => {
  let tmp: ReturnType<typeof tempDir>;
  let store: Store;
  let tenantId: string;
  let agentId: string;
  beforeAll(async () => {
    tmp = tempDir();
    store = await openStore({ dataDir: tmp.dir });
    tenantId = (await store.defaultTenant(true))!.id as string;
    agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id as string;
  });
  afterAll(async () => {
    await store.close();
    tmp.remove();
  });

  const context = (closing: AbortSignal, request = new AbortController()): RequestContext => {
    const rt = { store, closing, leaseSeconds: 10, maxWaitSeconds: 60 } as Partial<Runtime> as Runtime;
    return { rt, scope: {}, signal: request.signal };
  };

  it('leaves no listener on the server-wide closing signal (one per claim grew the heap for ever)', async () => {
    const closing = new AbortController();
    for (let i = 0; i < 20; i += 1) {
      expect(await claimWithWait(context(closing.signal), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 0.02 })).toEqual([]);
    }
    expect(getEventListeners(closing.signal, 'abort')).toHaveLength(0);
  });

  it('answers a waiting claim at once when the server starts closing, and when the client goes away', async () => {
    const closing = new AbortController();
    const started = Date.now();
    const waiting = claimWithWait(context(closing.signal), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 30 });
    setTimeout(() => closing.abort(), 50);
    expect(await waiting).toEqual([]);
    const client = new AbortController();
    const gone = claimWithWait(context(new AbortController().signal, client), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 30 });
    setTimeout(() => client.abort(), 50);
    expect(await gone).toEqual([]);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('answers with a run created while it waits, handed over already claimed, and leaves no offer behind', async () => {
    const project = await store.createProject({ tenantId, name: 'handoff' });
    const { id: flowId } = await store.createFlow({ tenantId, projectId: project.id, serializedFlow: { name: 'f' } });
    const closing = new AbortController();
    const waiting = claimWithWait(context(closing.signal), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 30 });
    await new Promise((r) => setTimeout(r, 50)); // its first claim found nothing; it waits
    const { id } = await store.createFlowRun({ flowId }, {});
    expect((await waiting).map((r) => [r.id, r.state, r.lease_owner])).toEqual([[id, 'Submitted', agentId]]);
    // polls that ended (by time, by the client going away, by the server closing) offer nothing
    expect(await claimWithWait(context(closing.signal), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 0.02 })).toEqual([]);
    const client = new AbortController();
    const gone = claimWithWait(context(closing.signal, client), { tenantId, agentId, labels: [], limit: 1, waitSeconds: 30 });
    setTimeout(() => client.abort(), 20);
    expect(await gone).toEqual([]);
    const later = await store.createFlowRun({ flowId }, {});
    expect((await store.getById('flow_run', later.id, {}))?.state).toBe('Scheduled');
  });
});
