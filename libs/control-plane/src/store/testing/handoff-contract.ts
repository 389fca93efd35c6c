import { isoAt } from '../../time.js';
import type { Store } from '../store.js';
import type { Row } from '../tables.js';

type Seed = (store: Store) => Promise<{ tenantId: string; flowId: string; scope: { tenantId: string } }>;
type It = (title: string, fn: () => Promise<void>) => void;

/** What a claim leaves in a run, without what differs from run to run. */
const claimShape = (r: Row) => {
  const s = r.serialized_state as { type: string; message: string; state: { type: string; message: string } };
  return {
    state: r.state, state_message: r.state_message, version: r.version, attempt: r.attempt, is_scheduled: r.is_scheduled,
    agent_id: r.agent_id, lease_owner: r.lease_owner, leased: typeof r.lease_expires_at === 'string',
    serialized: [s.type, s.message, s.state.type, s.state.message],
  };
};

/** Runs handed to a waiting agent as they are created (store/handoff.ts); part of the Store contract. */
export function handoffContract(it_: It, store: () => Store, seed: Seed): void {
  it_('hands a due run created while an agent waits to that agent, claimed exactly as a claim would', async () => {
    const { tenantId, flowId, scope } = await seed(store());
    const agent = await store().registerAgent({ tenantId, type: 'LocalAgent', labels: [] });
    const offer = store().offerToTake({ tenantId, agentId: agent.id, labels: [], leaseSeconds: 10 });
    const { id } = await store().createFlowRun({ flowId }, scope);
    const handed = await offer.taken;
    expect(handed.map((r) => r.id)).toEqual([id]);
    expect(offer.withdraw()).toBe(false);
    // the same run created with nobody waiting, then claimed
    const other = await store().createFlowRun({ flowId }, scope);
    const [claimed] = await store().claimFlowRuns({ tenantId, agentId: agent.id, labels: [], limit: 10, leaseSeconds: 10 });
    expect(claimed.id).toBe(other.id);
    expect(claimShape(handed[0])).toEqual(claimShape(claimed));
    expect(claimShape(handed[0])).toMatchObject({ state: 'Submitted', version: 2, attempt: 1, lease_owner: agent.id, leased: true });
    expect(claimShape((await store().getById('flow_run', id, scope))!)).toEqual(claimShape(handed[0]));
    expect(await store().claimFlowRuns({ tenantId, agentId: agent.id, labels: [], limit: 10, leaseSeconds: 10 })).toEqual([]);
  });

  it_('hands over only what the agent may take now, to the oldest such waiter, one run each', async () => {
    const { tenantId, flowId, scope } = await seed(store());
    const [gpu, bare1, bare2] = await Promise.all(['gpu', 'bare-1', 'bare-2'].map((name) => store().registerAgent({ tenantId, type: 'LocalAgent', name, labels: name === 'gpu' ? ['gpu'] : [] })));
    const offerGpu = store().offerToTake({ tenantId, agentId: gpu.id, labels: ['gpu'], leaseSeconds: 10 });
    const later = await store().createFlowRun({ flowId, labels: ['gpu'], scheduledStartTime: isoAt(Date.now() + 3_600_000) }, scope);
    const unlabeled = await store().createFlowRun({ flowId }, scope);
    const settled = (o: { taken: Promise<Row[]> }) => Promise.race([o.taken, new Promise((r) => setTimeout(() => r('open'), 50))]);
    expect(await settled(offerGpu)).toBe('open');
    expect((await store().getById('flow_run', later.id, scope))?.state).toBe('Scheduled');
    expect((await store().getById('flow_run', unlabeled.id, scope))?.state).toBe('Scheduled');
    const first = store().offerToTake({ tenantId, agentId: bare1.id, labels: [], leaseSeconds: 10 });
    const second = store().offerToTake({ tenantId, agentId: bare2.id, labels: [], leaseSeconds: 10 });
    const run = await store().createFlowRun({ flowId, labels: [] }, scope);
    expect((await first.taken).map((r) => [r.id, r.lease_owner])).toEqual([[run.id, bare1.id]]);
    expect(await settled(second)).toBe('open');
    const gpuRun = await store().createFlowRun({ flowId, labels: ['gpu'] }, scope);
    expect((await offerGpu.taken).map((r) => r.id)).toEqual([gpuRun.id]);
    // a withdrawn offer gets nothing
    expect(second.withdraw()).toBe(true);
    const last = await store().createFlowRun({ flowId }, scope);
    expect((await store().getById('flow_run', last.id, scope))?.state).toBe('Scheduled');
  });
}
