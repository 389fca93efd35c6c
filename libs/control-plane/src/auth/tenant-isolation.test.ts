import { createApiKey, createTenant, startControlPlane, type ControlPlane } from '../server.js';
import { tempDir } from '../testing/temp-dir.js';
import { CLAIM, CREATE_FLOW_RUN, gql, gqlOk, REGISTER, seedFlow } from '../testing/gql.js';

describe('--auth api-key: tenant isolation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let cp: ControlPlane;
  let keyA: Record<string, string>;
  let keyB: Record<string, string>;
  beforeAll(async () => {
    tmp = tempDir();
    await createTenant({ dataDir: tmp.dir, name: 'A' });
    await createTenant({ dataDir: tmp.dir, name: 'B' });
    keyA = { Authorization: `Bearer ${(await createApiKey({ dataDir: tmp.dir, tenant: 'a' })).key}` };
    keyB = { Authorization: `Bearer ${(await createApiKey({ dataDir: tmp.dir, tenant: 'B' })).key}` };
    cp = await startControlPlane({ port: 0, dataDir: tmp.dir, auth: 'api-key' });
  });
  afterAll(async () => {
    await cp.close();
    tmp.remove();
  });

  it('answers UNAUTHENTICATED to a missing or bad key', async () => {
    for (const headers of [{}, { Authorization: 'Bearer pcp_wrong' }, { Authorization: 'Basic abc' }] as Record<string, string>[]) {
      const res = await gql(cp.url, '{ hello }', undefined, headers);
      expect(res.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect(res.data ?? null).toBeNull();
    }
  });

  it("never shows tenant B's runs to tenant A", async () => {
    const flowA = await seedFlow(cp.url, keyA);
    const flowB = await seedFlow(cp.url, keyB);
    const runA = (await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowA } }, keyA)).create_flow_run.id;
    const runB = (await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowB } }, keyB)).create_flow_run.id;
    const seenA = await gqlOk(cp.url, '{ flow_run { id } flow { id } tenant { name } auth_info { tenant_id } }', undefined, keyA);
    expect(seenA.flow_run.map((r: { id: string }) => r.id)).toEqual([runA]);
    expect(seenA.flow.map((r: { id: string }) => r.id)).toEqual([flowA]);
    expect(seenA.tenant.map((t: { name: string }) => t.name)).toEqual(['A']);
    expect((await gqlOk(cp.url, `{ flow_run_by_pk(id: "${runB}") { id } }`, undefined, keyA)).flow_run_by_pk).toBeNull();
    const crossRun = await gql(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowB } }, keyA);
    expect(crossRun.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const cancel = await gql(cp.url, 'mutation($input: cancel_flow_run_input!) { cancel_flow_run(input: $input) { state } }', { input: { flow_run_id: runB } }, keyA);
    expect(cancel.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const agentA = (await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent' } }, keyA)).register_agent.id;
    const claimed = await gqlOk(cp.url, CLAIM, { input: { agent_id: agentA, limit: 10 } }, keyA);
    expect(claimed.claim_flow_runs.flow_runs.map((r: { id: string }) => r.id)).toEqual([runA]);
    const tenantB = (await gqlOk(cp.url, '{ auth_info { tenant_id } }', undefined, keyB)).auth_info.tenant_id;
    const forged = await gql(cp.url, 'mutation($input: get_runs_in_queue_input!) { get_runs_in_queue(input: $input) { flow_run_ids } }', { input: { tenant_id: tenantB } }, keyA);
    expect(forged.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses a non-loopback bind without api keys unless --insecure', async () => {
    await expect(startControlPlane({ port: 0, host: '0.0.0.0', dataDir: tmp.dir })).rejects.toThrow(/without API keys/);
  });
});
