import { startControlPlane, type ControlPlane } from '../../server.js';
import { CLAIM, CREATE_FLOW_RUN, gqlOk, REGISTER, seedFlow } from '../../testing/gql.js';
import { freshDatabase, postgresAvailable } from '../testing/pg-database.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('two server replicas on one PostgreSQL database', () => {
  let available = false;
  let db: { url: string; drop: () => Promise<void> };
  let one: ControlPlane;
  let two: ControlPlane;
  beforeAll(async () => {
    available = await postgresAvailable();
    if (!available) return;
    db = await freshDatabase();
    [one, two] = await Promise.all([startControlPlane({ port: 0, databaseUrl: db.url, leaseSeconds: 600 }), startControlPlane({ port: 0, databaseUrl: db.url, leaseSeconds: 600 })]);
  }, 30_000);
  afterAll(async () => {
    if (!available) return;
    await Promise.all([one?.close(), two?.close()]);
    await db.drop();
  }, 30_000);

  it('wakes a claim waiting on replica two when replica one creates a run (LISTEN/NOTIFY)', async () => {
    if (!available) return;
    const flowId = await seedFlow(one.url);
    const agentId = (await gqlOk(two.url, REGISTER, { input: { type: 'LocalAgent' } })).register_agent.id;
    const started = Date.now();
    const waiting = gqlOk(two.url, CLAIM, { input: { agent_id: agentId, wait_seconds: 30 } });
    await sleep(300);
    const run = await gqlOk(one.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } });
    const res = await waiting;
    expect(res.claim_flow_runs.flow_runs.map((r: { id: string }) => r.id)).toEqual([run.create_flow_run.id]);
    expect(Date.now() - started).toBeLessThan(30_000);
    // the flow joined into the claim statement is the flow as stored, JSON columns decoded
    const stored = (await gqlOk(one.url, `query($id: UUID!) { flow_by_pk(id: $id) { id name storage run_config version } }`, { id: flowId })).flow_by_pk;
    expect(res.claim_flow_runs.flow_runs[0].flow).toEqual(stored);
    expect(stored.storage).toEqual(expect.objectContaining({ type: expect.any(String) }));
  }, 40_000);

  it('8 clients over both replicas claim each of 1,000 runs exactly once', async () => {
    if (!available) return;
    const flowId = await seedFlow(one.url);
    for (let i = 0; i < 1000; i += 100) {
      await Promise.all(Array.from({ length: 100 }, (_, j) => gqlOk(j % 2 ? one.url : two.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } })));
    }
    const counts = new Map<string, number>();
    await Promise.all(Array.from({ length: 8 }, async (_, i) => {
      const url = i % 2 ? one.url : two.url;
      const agentId = (await gqlOk(url, REGISTER, { input: { type: 'LocalAgent', name: `agent-${i}` } })).register_agent.id;
      for (;;) {
        const res = await gqlOk(url, CLAIM, { input: { agent_id: agentId, limit: 10 } });
        if (res.claim_flow_runs.flow_runs.length === 0) return;
        for (const r of res.claim_flow_runs.flow_runs) counts.set(r.id, (counts.get(r.id) ?? 0) + 1);
      }
    }));
    expect(counts.size).toBe(1000);
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
  }, 120_000);
});
