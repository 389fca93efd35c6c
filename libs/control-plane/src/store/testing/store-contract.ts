import { serializeState } from '../../states.js';
import { isoAt, isoNow } from '../../time.js';
import { SWEEP_BATCH } from '../lease-sweep.js';
import type { Store } from '../store.js';
import { handoffContract } from './handoff-contract.js';
import { reportsContract } from './reports-contract.js';

export interface StoreFactory {
  /** a fresh, migrated, empty store */
  open(): Promise<Store>;
  cleanup?(): Promise<void>;
}

async function seed(store: Store, runConfig: unknown = { type: 'LocalRun' }) {
  const tenant = await store.createTenant({ name: `t-${Math.random().toString(36).slice(2)}` });
  const tenantId = tenant.id as string;
  const project = await store.createProject({ tenantId, name: 'p' });
  const flow = await store.createFlow({ tenantId, projectId: project.id, serializedFlow: { name: 'etl', run_config: runConfig, parameters: [{ name: 'a', default: 1 }] } });
  return { tenantId, flowId: flow.id, scope: { tenantId } };
}

/** The behaviour every Store must have; run against SQLite and PostgreSQL. */
export function describeStoreContract(name: string, factory: () => StoreFactory | undefined): void {
  describe(`Store contract: ${name}`, () => {
    let f: StoreFactory | undefined;
    let store: Store;
    beforeAll(() => {
      f = factory();
    });
    beforeEach(async () => {
      if (f) store = await f.open();
    });
    afterEach(async () => {
      if (f) await store.close();
    });
    afterAll(async () => {
      await f?.cleanup?.();
    }, 60_000);
    const it_ = (title: string, fn: () => Promise<void>, timeout?: number) =>
      it(title, async () => {
        if (!f) return; // skipped loudly by the factory (never in CI)
        await fn();
      }, timeout);

    it_('creates the default tenant once', async () => {
      const a = await store.defaultTenant(true);
      const b = await store.defaultTenant(true);
      expect(a?.id).toBe(b?.id);
      expect(a?.name).toBe('default');
    });

    it_('creates flows with versions and runs with merged parameters and effective labels', async () => {
      const { tenantId, flowId, scope } = await seed(store, { type: 'LocalRun', labels: ['dev'] });
      const project = await store.createProject({ tenantId, name: 'p' });
      const v2 = await store.createFlow({ tenantId, projectId: project.id, serializedFlow: { name: 'etl' } });
      const flows = await store.select('flow', { orderBy: [{ version: 'asc' }] }, scope);
      expect(flows.map((x) => [x.id, x.version, x.archived])).toEqual([[flowId, 1, true], [v2.id, 2, false]]);
      const run = await store.createFlowRun({ flowId, parameters: { b: 2 } }, scope);
      const [row] = await store.select('flow_run', { where: { id: { _eq: run.id } } }, scope);
      expect(row).toMatchObject({ state: 'Scheduled', version: 1, labels: ['dev'], parameters: { a: 1, b: 2 }, run_config: { type: 'LocalRun', labels: ['dev'] }, attempt: 0 });
    });

    it_('honours idempotency keys', async () => {
      const { flowId, scope } = await seed(store);
      const a = await store.createFlowRun({ flowId, idempotencyKey: 'k' }, scope);
      const b = await store.createFlowRun({ flowId, idempotencyKey: 'k' }, scope);
      const c = await store.createFlowRun({ flowId, idempotencyKey: 'other' }, scope);
      expect(b.id).toBe(a.id);
      expect(c.id).not.toBe(a.id);
    });

    it_('applies states with version compare-and-set', async () => {
      const { flowId, scope } = await seed(store);
      const { id } = await store.createFlowRun({ flowId }, scope);
      await store.setFlowRunStates([{ flowRunId: id, version: 1, state: serializeState('Running', 'go') }], scope);
      await expect(store.setFlowRunStates([{ flowRunId: id, version: 1, state: serializeState('Success', 'x') }], scope)).rejects.toThrow('State update failed');
      await store.setFlowRunStates([{ flowRunId: id, version: 2, state: serializeState('Success', 'done') }], scope);
      const [row] = await store.select('flow_run', { where: { id: { _eq: id } } }, scope);
      expect(row).toMatchObject({ state: 'Success', version: 3, state_message: 'done', start_time: expect.any(String), end_time: expect.any(String) });
      await expect(store.setFlowRunStates([{ flowRunId: id, state: serializeState('Running', 'again') }], scope)).rejects.toThrow('State update failed');
    });

    it_('rejects a second Submitted within the lock window even without a version', async () => {
      const { flowId, scope } = await seed(store);
      const { id } = await store.createFlowRun({ flowId }, scope);
      await store.setFlowRunStates([{ flowRunId: id, state: serializeState('Submitted', 's') }], scope);
      await expect(store.setFlowRunStates([{ flowRunId: id, state: serializeState('Submitted', 's') }], scope)).rejects.toThrow('already been submitted');
    });

    it_('cancels: Scheduled -> Cancelled, Running -> Cancelling', async () => {
      const { flowId, scope } = await seed(store);
      const a = await store.createFlowRun({ flowId }, scope);
      const b = await store.createFlowRun({ flowId }, scope);
      await store.setFlowRunStates([{ flowRunId: b.id, state: serializeState('Running', 'r') }], scope);
      expect(await store.cancelFlowRun(a.id, scope)).toEqual({ state: 'Cancelled' });
      expect(await store.cancelFlowRun(b.id, scope)).toEqual({ state: 'Cancelling' });
    });

    it_('claims due runs only, by the label rule, oldest first, with a lease', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agent = await store.registerAgent({ tenantId, type: 'LocalAgent', labels: ['dev'] });
      const old = await store.createFlowRun({ flowId, labels: ['dev'], scheduledStartTime: isoAt(Date.now() - 60_000) }, scope);
      const fresh = await store.createFlowRun({ flowId, labels: ['dev'] }, scope);
      await store.createFlowRun({ flowId, labels: ['dev'], scheduledStartTime: isoAt(Date.now() + 3_600_000) }, scope);
      await store.createFlowRun({ flowId, labels: ['prod'] }, scope);
      await store.createFlowRun({ flowId, labels: [] }, scope);
      const claimed = await store.claimFlowRuns({ tenantId, agentId: agent.id, labels: ['dev'], limit: 10, leaseSeconds: 10 });
      expect(claimed.map((r) => r.id)).toEqual([old.id, fresh.id]);
      expect(claimed[0]).toMatchObject({ state: 'Submitted', version: 2, attempt: 1, lease_owner: agent.id, agent_id: agent.id });
      expect((claimed[0].serialized_state as { state: { type: string } }).state.type).toBe('Scheduled');
      expect(await store.claimFlowRuns({ tenantId, agentId: agent.id, labels: ['dev'], limit: 10, leaseSeconds: 10 })).toEqual([]);
      expect(await store.nextDueTime(tenantId, isoNow())).toEqual(expect.any(String));
    });

    it_('claims by label subsets past older runs that other agents must take', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const ab = await store.registerAgent({ tenantId, type: 'LocalAgent', labels: ['b', 'a'] });
      const bare = await store.registerAgent({ tenantId, type: 'LocalAgent', labels: [] });
      const older = isoAt(Date.now() - 60_000);
      // 30 older runs ahead of the matching ones: more than the first index window of a limit-1 claim
      const others = await Promise.all(Array.from({ length: 30 }, () => store.createFlowRun({ flowId, labels: ['a', 'c'], scheduledStartTime: older }, scope)));
      const onlyA = await store.createFlowRun({ flowId, labels: ['a'], scheduledStartTime: isoAt(Date.now() - 2000) }, scope);
      const both = await store.createFlowRun({ flowId, labels: ['b', 'a'], scheduledStartTime: isoAt(Date.now() - 1000) }, scope);
      const plain = await store.createFlowRun({ flowId, labels: [] }, scope);
      const claim = (agentId: string, labels: string[], limit: number) => store.claimFlowRuns({ tenantId, agentId, labels, limit, leaseSeconds: 10 });
      expect((await claim(ab.id, ['a', 'b'], 1)).map((r) => r.id)).toEqual([onlyA.id]);
      expect((await claim(ab.id, ['a', 'b'], 5)).map((r) => r.id)).toEqual([both.id]);
      expect((await claim(bare.id, [], 5)).map((r) => r.id)).toEqual([plain.id]);
      expect((await claim(ab.id, ['a', 'b', 'c'], 50)).map((r) => r.id).sort()).toEqual(others.map((r) => r.id).sort());
    });

    it_('get_runs_in_queue follows the label and time rules', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const a = await store.createFlowRun({ flowId, labels: ['a'] }, scope);
      const soon = await store.createFlowRun({ flowId, labels: [], scheduledStartTime: isoAt(Date.now() + 5_000) }, scope);
      expect(await store.getRunsInQueue({ tenantId, before: isoAt(Date.now() + 10_000), labels: ['a', 'b'] })).toEqual([a.id]);
      expect(await store.getRunsInQueue({ tenantId, before: isoAt(Date.now() + 10_000), labels: [] })).toEqual([soon.id]);
      expect(await store.getRunsInQueue({ tenantId, before: isoNow(), labels: [] })).toEqual([]);
    });

    it_('8 racing claimers take each of 1,000 runs exactly once', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const past = isoAt(Date.now() - 1000);
      await Promise.all(Array.from({ length: 1000 }, () => store.createFlowRun({ flowId, scheduledStartTime: past }, scope)));
      const seen = new Map<string, number>();
      await Promise.all(Array.from({ length: 8 }, async (_, i) => {
        for (;;) {
          const runs = await store.claimFlowRuns({ tenantId, agentId: `00000000-0000-4000-8000-00000000000${i}`, labels: [], limit: 7, leaseSeconds: 10 });
          if (runs.length === 0) return;
          for (const r of runs) seen.set(r.id as string, (seen.get(r.id as string) ?? 0) + 1);
        }
      }));
      expect(seen.size).toBe(1000);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      const submitted = await store.select('flow_run', { where: { state: { _eq: 'Submitted' }, version: { _eq: 2 } } }, scope);
      expect(submitted).toHaveLength(1000);
    }, 60_000);

    it_('heartbeats renew leases and report runs to cancel', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      const a = await store.createFlowRun({ flowId }, scope);
      const b = await store.createFlowRun({ flowId }, scope);
      await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: 2, leaseSeconds: 1 });
      await store.cancelFlowRun(b.id, scope);
      const missing = '00000000-0000-4000-8000-000000000000';
      const cancel = await store.agentHeartbeat({ tenantId, agentId, flowRunIds: [a.id, b.id, missing], leaseSeconds: 60 });
      expect(cancel.sort()).toEqual([b.id, missing].sort());
      const [row] = await store.select('flow_run', { where: { id: { _eq: a.id } } }, scope);
      expect(Date.parse(row.lease_expires_at as string)).toBeGreaterThan(Date.now() + 50_000);
    });

    it_('sweeps expired leases: reschedule, count attempts, fail after the limit', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      const { id } = await store.createFlowRun({ flowId }, scope);
      for (let attempt = 1; attempt <= 3; attempt++) {
        const [claimed] = await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: 1, leaseSeconds: 0 });
        expect(claimed).toMatchObject({ id, attempt });
        const out = await store.sweepExpiredLeases(isoAt(Date.now() + 1), 3);
        expect(out).toEqual([{ flowRunId: id, tenantId, action: attempt < 3 ? 'rescheduled' : 'failed', attempt }]);
        await new Promise((r) => setTimeout(r, 5)); // the rescheduled start (sweep time) is now due
      }
      const [row] = await store.select('flow_run', { where: { id: { _eq: id } } }, scope);
      expect(row.state).toBe('Failed');
      expect(row.state_message).toContain('3 times without success');
      const logs = await store.select('log', { where: { flow_run_id: { _eq: id } } }, scope);
      expect(logs).toHaveLength(3);
    });

    it_('sweeps mixed outcomes in one tick, leaves live leases alone, and never sweeps a run twice', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      const claim = (limit: number, leaseSeconds: number) => store.claimFlowRuns({ tenantId, agentId, labels: [], limit, leaseSeconds });
      const due = () => new Promise((r) => setTimeout(r, 5));
      const a = await store.createFlowRun({ flowId }, scope);
      const b = await store.createFlowRun({ flowId }, scope);
      await claim(2, 0);
      expect((await store.sweepExpiredLeases(isoAt(Date.now() + 1), 2)).map((o) => o.action)).toEqual(['rescheduled', 'rescheduled']);
      await due();
      const c = await store.createFlowRun({ flowId }, scope);
      const d = await store.createFlowRun({ flowId }, scope);
      const claimed = await claim(4, 0);
      expect(claimed.map((r) => r.id).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
      const e = await store.createFlowRun({ flowId }, scope);
      expect((await claim(1, 60)).map((r) => r.id)).toEqual([e.id]);
      expect(await store.cancelFlowRun(d.id, scope)).toEqual({ state: 'Cancelling' });
      const versions = new Map((await store.select('flow_run', {}, scope)).map((r) => [r.id as string, r.version as number]));

      const now = isoAt(Date.now() + 1);
      const [first, second] = await Promise.all([store.sweepExpiredLeases(now, 2), store.sweepExpiredLeases(now, 2)]);
      const swept = [...first, ...second];
      expect(swept.map((o) => o.flowRunId).sort()).toEqual([a.id, b.id, c.id, d.id].sort());
      const byId = new Map(swept.map((o) => [o.flowRunId, o]));
      expect([a, b, c, d].map((r) => [byId.get(r.id)?.action, byId.get(r.id)?.attempt])).toEqual([['failed', 2], ['failed', 2], ['rescheduled', 1], ['cancelled', 1]]);

      const rows = new Map((await store.select('flow_run', {}, scope)).map((r) => [r.id as string, r]));
      expect(rows.get(a.id)).toMatchObject({ state: 'Failed', lease_owner: null, lease_expires_at: null, version: (versions.get(a.id) as number) + 1 });
      expect(rows.get(a.id)?.state_message).toContain('2 times without success');
      expect(rows.get(c.id)).toMatchObject({ state: 'Scheduled', is_scheduled: 1, lease_owner: null, version: (versions.get(c.id) as number) + 1 });
      expect(rows.get(c.id)?.state_message).toContain('This is attempt 2');
      expect(rows.get(d.id)).toMatchObject({ state: 'Cancelled', lease_owner: null, version: (versions.get(d.id) as number) + 1 });
      expect(rows.get(e.id)).toMatchObject({ state: 'Submitted', lease_owner: agentId, version: versions.get(e.id) });
      const logs = await store.select('log', { where: { name: { _eq: 'control-plane' } } }, scope);
      // two from the first sweep (a, b), four from this one
      expect(logs).toHaveLength(6);
      expect(logs.filter((l) => l.flow_run_id === a.id).map((l) => l.level).sort()).toEqual(['ERROR', 'WARNING']);
      await due();
      expect((await claim(5, 10)).map((r) => r.id)).toEqual([c.id]);
    });

    it_('sweeps at most SWEEP_BATCH runs per call and the rest on the next', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      const total = SWEEP_BATCH + 3;
      for (let i = 0; i < total; i++) await store.createFlowRun({ flowId }, scope);
      expect(await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: total, leaseSeconds: 0 })).toHaveLength(total);
      const now = isoAt(Date.now() + 1);
      const first = await store.sweepExpiredLeases(now, 3);
      const second = await store.sweepExpiredLeases(now, 3);
      expect([first.length, second.length]).toEqual([SWEEP_BATCH, 3]);
      expect(new Set([...first, ...second].map((o) => o.flowRunId)).size).toBe(total);
      expect(await store.sweepExpiredLeases(now, 3)).toEqual([]);
      const left = await store.select('flow_run', { where: { state: { _neq: 'Scheduled' } } }, scope);
      expect(left).toEqual([]);
    }, 60_000);

    it_('extends live leases by the server downtime', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      await store.createFlowRun({ flowId }, scope);
      const [claimed] = await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: 1, leaseSeconds: 10 });
      expect(await store.markAlive(isoNow())).toBeUndefined();
      expect(await store.markAlive(isoNow())).toEqual(expect.any(String));
      expect(await store.extendLeases(60_000)).toBe(1);
      const [row] = await store.select('flow_run', { where: { id: { _eq: claimed.id } } }, scope);
      expect(Date.parse(row.lease_expires_at as string) - Date.parse(claimed.lease_expires_at as string)).toBe(60_000);
    });

    it_('scopes reads to a tenant and translates Hasura filters', async () => {
      const one = await seed(store);
      const two = await seed(store);
      const r1 = await store.createFlowRun({ flowId: one.flowId, name: 'alpha' }, one.scope);
      await store.createFlowRun({ flowId: two.flowId, name: 'beta' }, two.scope);
      expect((await store.select('flow_run', {}, one.scope)).map((r) => r.id)).toEqual([r1.id]);
      expect(await store.select('flow_run', { where: { name: { _eq: 'beta' } } }, one.scope)).toEqual([]);
      const both = await store.select('flow_run', { where: { _or: [{ name: { _eq: 'alpha' } }, { name: { _like: 'be%' } }] }, orderBy: [{ name: 'desc' }] }, {});
      expect(both.map((r) => r.name)).toEqual(['beta', 'alpha']);
      const nested = await store.select('flow_run', { where: { flow: { name: { _eq: 'etl' } }, _not: { name: { _eq: 'beta' } } }, limit: 1, offset: 0 }, {});
      expect(nested.map((r) => r.name)).toEqual(['alpha']);
      await expect(store.createFlowRun({ flowId: two.flowId }, one.scope)).rejects.toThrow('not found');
    });

    it_('writes logs and registers agents with Prefect dedup', async () => {
      const { tenantId, flowId, scope } = await seed(store);
      const { id } = await store.createFlowRun({ flowId }, scope);
      await store.writeLogs([{ flowRunId: id, message: 'hi' }, { flowRunId: id, message: 'there', level: 'ERROR' }], scope);
      expect((await store.select('log', { orderBy: [{ message: 'asc' }] }, scope)).map((l) => [l.message, l.level])).toEqual([['hi', 'INFO'], ['there', 'ERROR']]);
      const a = await store.registerAgent({ tenantId, type: 'LocalAgent', name: 'x', labels: ['b', 'a'], coreVersion: '1.4.1' });
      const b = await store.registerAgent({ tenantId, type: 'LocalAgent', name: 'x', labels: ['a', 'b'], coreVersion: '1.4.1' });
      const c = await store.registerAgent({ tenantId, type: 'LocalAgent', name: 'x', labels: ['a'], coreVersion: '1.4.1' });
      expect(b.id).toBe(a.id);
      expect(c.id).not.toBe(a.id);
      expect(await store.deleteAgent(c.id, scope)).toBe(true);
      expect(await store.deleteAgent(c.id, scope)).toBe(false);
    });

    handoffContract(it_, () => store, seed);
    reportsContract(it_, () => store, seed);
  });
}
