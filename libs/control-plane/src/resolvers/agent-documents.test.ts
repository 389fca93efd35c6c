import type { ControlPlane } from '../server.js';
import { embeddedControlPlane } from '../testing/embedded-control-plane.js';
import { gql, gqlOk, seedFlow, CREATE_FLOW_RUN } from '../testing/gql.js';

// The exact documents the Python agent sends (reference §1.3, §1.4, §1.6, §1.7, §1.10),
// rendered as its client renders them, with `variables` as a JSON string.
const REGISTER = `mutation($input: register_agent_input!) {
    register_agent(input: $input) {
        id
    }
}`;
const QUEUE = `mutation($input: get_runs_in_queue_input!) {
    get_runs_in_queue(input: $input) {
        flow_run_ids
    }
}`;
const metadata = (ids: string[], buffer: string): string => `query {
    flow_run(where: { id: { _in: [${ids.map((i) => `"${i}"`).join(', ')}] }, _or: [{ state: { _eq: "Scheduled" } }, { state: { _eq: "Running" }, task_runs: { state_start_time: { _lte: "${buffer}" } } }] }) {
        id
        version
        state
        serialized_state
        parameters
        scheduled_start_time
        run_config
        name
        flow {
            id
            name
            environment
            storage
            version
            core_version
        }
        task_runs(where: { state_start_time: { _lte: "${buffer}" } }) {
            id
            version
            task_id
            serialized_state
        }
    }
}`;
const SET_STATES = `mutation($input: set_flow_run_states_input!) {
    set_flow_run_states(input: $input) {
        states {
            id
            status
            message
        }
    }
}`;
const LOGS = `mutation($input: write_run_logs_input!) {
    write_run_logs(input: $input) {
        success
    }
}`;
const agentConfig = (id: string): string => `query {
    agent_config(where: { id: { _eq: "${id}" } }) {
        settings
    }
}`;

const pyNow = (offsetMs = 0): string => new Date(Date.now() + offsetMs).toISOString().replace('Z', '123+00:00');
const headers = { 'X-PREFECT-CORE-VERSION': '1.4.1' };

describe('the Python agent documents', () => {
  const plane = embeddedControlPlane();
  let cp: ControlPlane;
  beforeAll(() => {
    cp = plane.cp;
  });

  it('runs the whole Prefect 1 agent conversation', async () => {
    const tenant = await gqlOk(cp.url, 'query { tenant { id } }');
    const tenantId = tenant.tenant[0].id;
    expect(tenantId).toMatch(/^[0-9a-f-]{36}$/);
    const auth = await gqlOk(cp.url, 'query { auth_info { tenant_id } }');
    expect(auth.auth_info.tenant_id).toBe(tenantId);

    const cfg = await gqlOk(cp.url, 'mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }', { input: { name: 'sla', settings: { sla_min_healthy: 1 } } });
    const input = { type: 'LocalAgent', name: 'agent', labels: ['dev', 'host1'], tenant_id: tenantId, agent_config_id: cfg.create_agent_config.id };
    const reg = await gqlOk(cp.url, REGISTER, { input }, headers);
    const again = await gqlOk(cp.url, REGISTER, { input: { ...input, labels: ['host1', 'dev'] } }, headers);
    expect(again.register_agent.id).toBe(reg.register_agent.id);
    const agentId = reg.register_agent.id;
    const settings = await gqlOk(cp.url, agentConfig(cfg.create_agent_config.id));
    expect(settings.agent_config).toEqual([{ settings: { sla_min_healthy: 1 } }]);
    expect((await gqlOk(cp.url, 'query { hello }')).hello).toEqual(expect.any(String));

    const flowId = await seedFlow(cp.url);
    const run = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, labels: ['dev'], parameters: { x: 1 } } });
    const runId = run.create_flow_run.id;
    const other = await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, labels: ['prod'] } });

    const agentHeaders = { ...headers, 'X-PREFECT-AGENT-ID': agentId };
    const queue = await gqlOk(cp.url, QUEUE, { input: { before: pyNow(10_000), labels: ['dev', 'host1'], tenant_id: tenantId } }, agentHeaders);
    expect(queue.get_runs_in_queue.flow_run_ids).toEqual([runId]);
    expect(queue.get_runs_in_queue.flow_run_ids).not.toContain(other.create_flow_run.id);

    const meta = await gqlOk(cp.url, metadata([runId, other.create_flow_run.id], pyNow(-3000)));
    expect(meta.flow_run).toHaveLength(2);
    const fr = meta.flow_run.find((r: { id: string }) => r.id === runId);
    expect(fr).toMatchObject({ version: 1, state: 'Scheduled', parameters: { day: 'mon', x: 1 }, flow: { id: flowId, name: 'etl', version: 1 }, task_runs: [] });
    expect(fr.serialized_state).toMatchObject({ type: 'Scheduled', start_time: expect.any(String) });

    const submitted = { type: 'Submitted', message: 'Submitted for execution', state: fr.serialized_state, context: {}, cached_inputs: {}, _result: { type: 'NoResultType', __version__: '1.4.1' }, __version__: '1.4.1' };
    const set = await gqlOk(cp.url, SET_STATES, { input: { states: [{ flow_run_id: runId, version: fr.version, state: submitted }] } }, agentHeaders);
    expect(set.set_flow_run_states.states).toEqual([{ id: runId, status: 'SUCCESS', message: null }]);
    const lost = await gql(cp.url, SET_STATES, { input: { states: [{ flow_run_id: runId, version: fr.version, state: submitted }] } }, agentHeaders);
    expect(lost.errors?.[0].message).toContain('State update failed');
    expect(lost.errors?.[0].extensions?.code).toBe('VERSION_LOCKING_ERROR');

    const logs = await gqlOk(cp.url, LOGS, { input: { logs: [{ flow_run_id: runId, name: 'agent', message: 'Submitted for execution: PID: 1234', level: 'INFO' }] } });
    expect(logs.write_run_logs.success).toBe(true);

    const after = await gqlOk(cp.url, `query { flow_run(where: { id: { _eq: "${runId}" } }) { state version agent_id logs { message level } } agent(where: { id: { _eq: "${agentId}" } }) { last_queried labels core_version } }`);
    expect(after.flow_run[0]).toEqual({ state: 'Submitted', version: 2, agent_id: agentId, logs: [{ message: 'Submitted for execution: PID: 1234', level: 'INFO' }] });
    expect(after.agent[0]).toMatchObject({ labels: ['dev', 'host1'], core_version: '1.4.1', last_queried: expect.any(String) });
  });
});
