import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkAgentSlas, startControlPlane, type ControlPlane } from '@prefect-ts/control-plane';
import { gql, homeDir, parseJson, prefectAsync as runIn, unwrap } from '../../run-cli';

const HOME = homeDir('status-cli-home-');
const prefectAsync = (args: string[]) => runIn(args, HOME);


// ---- prefect agent status against a real control plane (embedded store) ----

const REGISTER = 'mutation($input: register_agent_input!) { register_agent(input: $input) { id } }';
const CREATE_CONFIG = 'mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }';
const STATUS_KEYS = ['agentConfigId', 'agents', 'api', 'checkedAt', 'events', 'healthyCount', 'ok', 'staleAfterSeconds'];

describe('prefect agent status (built CLI, real control plane)', () => {
  let cp: ControlPlane;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'status-cp-'));
    cp = await startControlPlane({ port: 0, dataDir: dir, slaCheckIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('no agents: exit 5, a message, and the documented --json shape', async () => {
    const text = await prefectAsync(['agent', 'status', '--api', cp.url]);
    expect(text.code).toBe(5);
    expect(text.stdout).toContain(`No agents have registered with ${cp.url}.`);
    expect(text.stdout).toContain('0 of 0 agent(s) healthy (stale after 60s).');
    const r = await prefectAsync(['agent', 'status', '--api', cp.url, '--json']);
    expect(r.code).toBe(5);
    const body = parseJson(r);
    expect(Object.keys(body).sort()).toEqual(STATUS_KEYS);
    expect(body).toEqual({ api: cp.url, checkedAt: expect.stringMatching(/^\d{4}-/), staleAfterSeconds: 60, healthyCount: 0, agents: [], agentConfigId: null, events: [], ok: false });
  });

  it('a healthy agent: exit 0 and a table row; --stale-after makes it stale: exit 5', async () => {
    const id = (await gql(cp.url, REGISTER, { input: { type: 'LocalAgent', name: 'status-agent', labels: ['b', 'a'] } })).register_agent.id;
    const r = await prefectAsync(['agent', 'status', '--api', cp.url]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/NAME\s+ID\s+TYPE\s+LABELS\s+LAST QUERY\s+STATUS\s+RUNS\s+AGENT CONFIG/);
    expect(r.stdout).toMatch(new RegExp(`status-agent\\s+${id}\\s+LocalAgent\\s+a, b\\s+\\d+s ago\\s+healthy\\s+0`));
    const json = parseJson(await prefectAsync(['agent', 'status', '--api', cp.url, '--json']));
    expect(json.agents).toEqual([{ id, name: 'status-agent', type: 'LocalAgent', labels: ['a', 'b'], agentConfigId: null, lastQueried: expect.any(String), secondsSinceQuery: expect.any(Number), healthy: true, runsInFlight: 0 }]);
    await new Promise((res) => setTimeout(res, 1100));
    const stale = await prefectAsync(['agent', 'status', '--api', cp.url, '--stale-after', '1', '--json']);
    expect(stale.code).toBe(5);
    expect(parseJson(stale)).toMatchObject({ ok: false, healthyCount: 0, staleAfterSeconds: 1, agents: [{ id, healthy: false }] });
  });

  it('--agent-config-id filters agents, defaults --stale-after to sla_seconds, and lists SLA events (open failure marked)', async () => {
    const configId = (await gql(cp.url, CREATE_CONFIG, { input: { name: 'grp', settings: { sla_seconds: 30, sla_min_healthy: 1 } } })).create_agent_config.id;
    const agentId = (await gql(cp.url, REGISTER, { input: { type: 'LocalAgent', name: 'grp-agent', agent_config_id: configId } })).register_agent.id;
    const ok = parseJson(await prefectAsync(['agent', 'status', '--api', cp.url, '--agent-config-id', configId, '--json']));
    expect(ok).toMatchObject({ ok: true, agentConfigId: configId, staleAfterSeconds: 30, agents: [{ id: agentId }], events: [] });
    // the checker's own function with a clock 40 s ahead: the group has missed its SLA
    const [event] = await checkAgentSlas(cp.store, Date.now() + 40_000);
    expect(event).toMatchObject({ type: 'AGENT_SLA_FAILURE', agent_config_id: configId });
    const r = await prefectAsync(['agent', 'status', '--api', cp.url, '--agent-config-id', configId, '--json']);
    expect(parseJson(r).events).toEqual([{
      id: event.id, type: 'AGENT_SLA_FAILURE', agentConfigId: configId, agentConfigName: 'grp', healthyAgentIds: [], unhealthyAgentIds: [agentId],
      slaMinHealthy: 1, slaSeconds: 30, created: event.created, deliveredAt: null, deliveryAttempts: 0, open: true,
    }]);
    const text = await prefectAsync(['agent', 'status', '--api', cp.url, '--agent-config-id', configId]);
    expect(text.stdout).toContain('1 open agent SLA failure(s):');
    expect(text.stdout).toMatch(/Recent agent SLA events:\nTIME\s+EVENT\s+AGENT CONFIG\s+HEALTHY\s+WEBHOOK\n.*SLA failure \(OPEN\)\s+grp \(/);
    // unfiltered status shows every config's events
    expect(parseJson(await prefectAsync(['agent', 'status', '--api', cp.url, '--json'])).events.map((e: { id: string }) => e.id)).toContain(event.id);
  });

  it('an unknown config id exits 4 (AGENT_CONFIG_NOT_FOUND), a malformed one 2, an unreachable API 4', async () => {
    const unknown = await prefectAsync(['agent', 'status', '--api', cp.url, '--agent-config-id', '00000000-0000-4000-8000-000000000001']);
    expect(unknown.code).toBe(4);
    expect(unwrap(unknown.stderr)).toContain('No agent config 00000000-0000-4000-8000-000000000001');
    expect(unwrap(unknown.stderr)).toContain('prefect agent config list');
    const malformed = await prefectAsync(['agent', 'status', '--api', cp.url, '--agent-config-id', 'abc', '--json']);
    expect(malformed.code).toBe(2);
    expect(parseJson(malformed).error.message).toContain('--agent-config-id');
    const down = await prefectAsync(['agent', 'status', '--api', 'http://127.0.0.1:9', '--json']);
    expect(down.code).toBe(4);
    expect(parseJson(down).error).toMatchObject({ code: 'API_UNREACHABLE', exitCode: 4 });
  });
});
