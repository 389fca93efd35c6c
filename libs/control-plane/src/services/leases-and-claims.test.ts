import { startControlPlane } from '../server.js';
import { tempDir } from '../testing/temp-dir.js';
import { CLAIM, CREATE_FLOW_RUN, gqlOk, REGISTER, seedFlow } from '../testing/gql.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function runState(url: string, id: string) {
  return (await gqlOk(url, `query { flow_run_by_pk(id: "${id}") { state attempt lease_expires_at state_message } }`)).flow_run_by_pk;
}

describe('claims, long polls and lost leases (embedded store, real HTTP)', () => {
  let tmp: ReturnType<typeof tempDir>;
  beforeAll(() => {
    tmp = tempDir();
  });
  afterAll(() => tmp.remove());

  it('wakes a waiting claim_flow_runs as soon as a run is created', async () => {
    const cp = await startControlPlane({ port: 0, dataDir: `${tmp.dir}/poll` });
    try {
      const flowId = await seedFlow(cp.url);
      const agentId = (await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent' } })).register_agent.id;
      const started = Date.now();
      const waiting = gqlOk(cp.url, CLAIM, { input: { agent_id: agentId, wait_seconds: 20 } });
      await sleep(200);
      const run = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } });
      const res = await waiting;
      expect(res.claim_flow_runs.flow_runs.map((r: { id: string }) => r.id)).toEqual([run.create_flow_run.id]);
      expect(Date.now() - started).toBeLessThan(20_000); // answered by the wake-up, not the timeout
      // a future run is picked up when it becomes due, within the same wait
      const soon = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, scheduled_start_time: new Date(Date.now() + 300).toISOString() } });
      const later = await gqlOk(cp.url, CLAIM, { input: { agent_id: agentId, wait_seconds: 20 } });
      expect(later.claim_flow_runs.flow_runs.map((r: { id: string }) => r.id)).toEqual([soon.create_flow_run.id]);
    } finally {
      await cp.close();
    }
  });

  it('8 HTTP clients claiming 1,000 due runs submit each exactly once', async () => {
    const cp = await startControlPlane({ port: 0, dataDir: `${tmp.dir}/race`, leaseSeconds: 600 });
    try {
      const flowId = await seedFlow(cp.url);
      for (let i = 0; i < 1000; i += 100) {
        await Promise.all(Array.from({ length: 100 }, () => gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } })));
      }
      const counts = new Map<string, number>();
      await Promise.all(Array.from({ length: 8 }, async () => {
        const agentId = (await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent', name: `a${Math.random()}` } })).register_agent.id;
        for (;;) {
          const res = await gqlOk(cp.url, CLAIM, { input: { agent_id: agentId, limit: 10 } });
          if (res.claim_flow_runs.flow_runs.length === 0) return;
          for (const r of res.claim_flow_runs.flow_runs) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
        }
      }));
      expect(counts.size).toBe(1000);
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
    } finally {
      await cp.close();
    }
  }, 60_000);

  it('reschedules runs whose lease expired, counts attempts, fails after 3', async () => {
    const cp = await startControlPlane({ port: 0, dataDir: `${tmp.dir}/lease`, leaseSeconds: 0.3, sweepIntervalMs: 50 });
    try {
      const flowId = await seedFlow(cp.url);
      const agentId = (await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent' } })).register_agent.id;
      const { id } = (await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } })).create_flow_run;
      for (let attempt = 1; attempt <= 3; attempt++) {
        const res = await gqlOk(cp.url, CLAIM, { input: { agent_id: agentId, wait_seconds: 10 } });
        expect(res.claim_flow_runs.flow_runs).toEqual([expect.objectContaining({ id, attempt })]);
      }
      for (let i = 0; i < 100 && (await runState(cp.url, id)).state !== 'Failed'; i++) await sleep(50);
      const final = await runState(cp.url, id);
      expect(final).toMatchObject({ state: 'Failed', attempt: 3, lease_expires_at: null });
      expect(final.state_message).toContain('3 times without success');
    } finally {
      await cp.close();
    }
  });

  it('does not count server downtime against a lease', async () => {
    const dataDir = `${tmp.dir}/downtime`;
    let cp = await startControlPlane({ port: 0, dataDir, leaseSeconds: 1, sweepIntervalMs: 50 });
    const flowId = await seedFlow(cp.url);
    const agentId = (await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent' } })).register_agent.id;
    const { id } = (await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } })).create_flow_run;
    await gqlOk(cp.url, CLAIM, { input: { agent_id: agentId } });
    const before = await runState(cp.url, id);
    await cp.close();
    await sleep(1500); // longer than the lease, while the server is down
    cp = await startControlPlane({ port: 0, dataDir, leaseSeconds: 1, sweepIntervalMs: 50 });
    try {
      const after = await runState(cp.url, id);
      expect(after.state).toBe('Submitted');
      expect(Date.parse(after.lease_expires_at) - Date.parse(before.lease_expires_at)).toBeGreaterThanOrEqual(1400);
      await sleep(300);
      expect((await runState(cp.url, id)).state).toBe('Submitted'); // the sweeper left it alone
    } finally {
      await cp.close();
    }
  });
});
