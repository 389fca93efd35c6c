import { startControlPlane, type ControlPlane } from '../server.js';
import { embeddedControlPlane } from '../testing/embedded-control-plane.js';
import { tempDir } from '../testing/temp-dir.js';
import { CLAIM, CREATE_FLOW_RUN, gql, gqlOk, REGISTER, seedFlow } from '../testing/gql.js';

describe('GraphQL mutations, queries and errors over HTTP', () => {
  const plane = embeddedControlPlane({ bodyLimit: 2 * 1024 * 1024 });
  let cp: ControlPlane;
  let flowId: string;
  beforeAll(async () => {
    cp = plane.cp;
    flowId = await seedFlow(cp.url);
  });

  it('creates, cancels, heartbeats, creates tenants, agent configs, and deletes agents', async () => {
    const key = 'idem-1';
    const a = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, idempotency_key: key, flow_run_name: 'named' } });
    const b = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, idempotency_key: key } });
    expect(b.create_flow_run.id).toBe(a.create_flow_run.id);
    const hb = await gqlOk(cp.url, 'mutation($input: update_flow_run_heartbeat_input!) { update_flow_run_heartbeat(input: $input) { success } }', { input: { flow_run_id: a.create_flow_run.id } });
    expect(hb.update_flow_run_heartbeat.success).toBe(true);
    const c = await gqlOk(cp.url, 'mutation($input: cancel_flow_run_input!) { cancel_flow_run(input: $input) { state } }', { input: { flow_run_id: a.create_flow_run.id } });
    expect(c.cancel_flow_run.state).toBe('Cancelled');
    const t = await gqlOk(cp.url, 'mutation($input: create_tenant_input!) { create_tenant(input: $input) { id } }', { input: { name: 'Other Team' } });
    const tenants = await gqlOk(cp.url, 'query { tenant(order_by: { created: asc }) { id name slug } }');
    expect(tenants.tenant.map((x: { slug: string }) => x.slug)).toEqual(['default', 'other-team']);
    expect(tenants.tenant[1].id).toBe(t.create_tenant.id);
    const agent = await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent', labels: [] } });
    const del = await gqlOk(cp.url, 'mutation($input: delete_agent_input!) { delete_agent(input: $input) { success } }', { input: { agent_id: agent.register_agent.id } });
    expect(del.delete_agent.success).toBe(true);
    const named = await gqlOk(cp.url, `query { flow_run_by_pk(id: "${a.create_flow_run.id}") { name state flow { project { name } } } }`);
    expect(named.flow_run_by_pk).toMatchObject({ name: 'named', state: 'Cancelled', flow: { project: { name: expect.any(String) } } });
  });

  it('claims and heartbeats through the extensions', async () => {
    const run = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, labels: ['x1'] } });
    const agent = await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent', labels: ['x1'] } });
    const agentId = agent.register_agent.id;
    const claim = await gqlOk(cp.url, CLAIM, { input: { agent_id: agentId, labels: ['x1'], limit: 5 } });
    expect(claim.claim_flow_runs.lease_seconds).toBe(10);
    expect(claim.claim_flow_runs.flow_runs).toEqual([expect.objectContaining({ id: run.create_flow_run.id, state: 'Submitted', version: 2, labels: ['x1'], parameters: { day: 'mon' }, flow: expect.objectContaining({ id: flowId, storage: { type: 'Command', argv: ['node', '-e', '1'] } }) })]);
    const HB = 'mutation($input: agent_heartbeat_input!) { agent_heartbeat(input: $input) { cancel_flow_run_ids lease_seconds } }';
    expect((await gqlOk(cp.url, HB, { input: { agent_id: agentId, flow_run_ids: [run.create_flow_run.id] } })).agent_heartbeat.cancel_flow_run_ids).toEqual([]);
    await gqlOk(cp.url, 'mutation($input: cancel_flow_run_input!) { cancel_flow_run(input: $input) { state } }', { input: { flow_run_id: run.create_flow_run.id } });
    expect((await gqlOk(cp.url, HB, { input: { agent_id: agentId, flow_run_ids: [run.create_flow_run.id] } })).agent_heartbeat.cancel_flow_run_ids).toEqual([run.create_flow_run.id]);
  });

  it('answers Hasura where / order_by / limit / offset with nested relations', async () => {
    for (const name of ['h-a', 'h-b', 'h-c']) await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, flow_run_name: name } });
    const q = `query($w: flow_run_bool_exp) { flow_run(where: $w, order_by: [{ name: desc }], limit: 2, offset: 1) { name flow { name } logs(limit: 1) { id } } }`;
    const res = await gqlOk(cp.url, q, { w: { name: { _in: ['h-a', 'h-b', 'h-c'] }, flow: { name: { _eq: 'etl' } }, _not: { state: { _neq: 'Scheduled' } } } });
    expect(res.flow_run).toEqual([{ name: 'h-b', flow: { name: 'etl' }, logs: [] }, { name: 'h-a', flow: { name: 'etl' }, logs: [] }]);
    const since = await gqlOk(cp.url, `query { flow_run(where: { created: { _gte: "2000-01-01T00:00:00+00:00" }, name: { _like: "h-%" }, agent_id: { _is_null: true } }) { id } }`);
    expect(since.flow_run).toHaveLength(3);
  });

  it.each([
    ['invalid UUID', `query { flow_run(where: { id: { _eq: "not-a-uuid" } }) { id } }`, undefined],
    ['invalid UUID in variables', CREATE_FLOW_RUN, { input: { flow_id: 'nope' } }],
    ['bad date', `query { flow_run(where: { created: { _gte: "yesterday" } }) { id } }`, undefined],
    ['unknown field', `query { flow_run(where: { colour: { _eq: "red" } }) { id } }`, undefined],
    ['unknown selection', `query { flow_run { colour } }`, undefined],
    ['syntax error', `query { flow_run { id `, undefined],
  ])('%s -> BAD_USER_INPUT and the server keeps serving', async (_name, query, variables) => {
    const res = await gql(cp.url, query, variables);
    expect(res.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect((await gqlOk(cp.url, '{ hello }')).hello).toBeTruthy();
  });

  it('rejects malformed JSON, bad variables and oversized bodies with GraphQL-shaped errors', async () => {
    const post = (body: string) => fetch(`${cp.url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    const bad = await post('{"query": ');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const badVars = await post(JSON.stringify({ query: '{ hello }', variables: '{nope' }));
    expect(((await badVars.json()) as any).errors[0].extensions.code).toBe('BAD_USER_INPUT');
    const big = await post(JSON.stringify({ query: '{ hello }', variables: { x: 'y'.repeat(3 * 1024 * 1024) } }));
    expect(big.status).toBe(413);
    expect(((await big.json()) as any).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
    expect((await gqlOk(cp.url, '{ hello }')).hello).toBeTruthy();
  });

  it('rejects states over 1 MB, unknown state types and stale versions', async () => {
    const run = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId } });
    const SET = 'mutation($input: set_flow_run_states_input!) { set_flow_run_states(input: $input) { states { id status message } } }';
    const huge = { type: 'Running', message: 'x'.repeat(1024 * 1024 + 10) };
    const tooBig = await gql(cp.url, SET, { input: { states: [{ flow_run_id: run.create_flow_run.id, version: 1, state: huge }] } });
    expect(tooBig.errors?.[0].extensions?.code).toBe('PAYLOAD_TOO_LARGE');
    const unknown = await gql(cp.url, SET, { input: { states: [{ flow_run_id: run.create_flow_run.id, state: JSON.stringify({ type: 'Exploded' }) }] } });
    expect(unknown.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    await gqlOk(cp.url, SET, { input: { states: [{ flow_run_id: run.create_flow_run.id, version: 1, state: JSON.stringify({ type: 'Running', message: 'go' }) }] } });
    const stale = await gql(cp.url, SET, { input: { states: [{ flow_run_id: run.create_flow_run.id, version: 1, state: { type: 'Success' } }] } });
    expect(stale.errors?.[0].message).toContain('State update failed');
    expect(stale.errors?.[0].extensions?.code).toBe('VERSION_LOCKING_ERROR');
    const missing = await gql(cp.url, SET, { input: { states: [{ flow_run_id: '00000000-0000-4000-8000-000000000001', state: { type: 'Running' } }] } });
    expect(missing.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });
});

describe('a server started with extensions off', () => {
  it('lists no features and rejects the extensions', async () => {
    const tmp = tempDir();
    const cp = await startControlPlane({ port: 0, dataDir: tmp.dir, extensions: false });
    try {
      expect((await gqlOk(cp.url, '{ server_info { features } }')).server_info.features).toEqual([]);
      const res = await gql(cp.url, CLAIM, { input: { agent_id: '00000000-0000-4000-8000-000000000001' } });
      expect(res.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    } finally {
      await cp.close();
      tmp.remove();
    }
  });
});
