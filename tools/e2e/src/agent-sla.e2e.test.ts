import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startControlPlane, type ControlPlane } from '@prefect-ts/control-plane';
import { CLI, startCliAgent, type CliAgent } from './agent';
import { waitFor } from './processes';

/** Parsed CLI and webhook JSON, checked field by field with expect(). */
type Json = any;

// Agent SLA automations end to end: a real control plane (SQLite, checks every 200 ms), a local
// webhook receiver, two real `prefect agent local start --agent-config-id` processes (built CLI,
// `nx run-many -t build`) killed with SIGKILL, then one restarted; `prefect agent status` and
// `prefect agent config` as real child processes.
const built = existsSync(CLI) && existsSync(CLI.replace(/bin\/run\.js$/, 'dist/commands/agent/config/create.js'));
const HOME = mkdtempSync(path.join(tmpdir(), 'agent-sla-home-'));
const SLA_SECONDS = 8; // > the 5 s at which an idle agent's long poll refreshes last_queried

interface CliResult { code: number; stdout: string; stderr: string }

/** `prefect ...` asynchronously (the control plane runs in this process). */
function prefect(...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME, NO_COLOR: '1' }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

const json = <T = Json>(r: CliResult): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
};
const unwrap = (text: string): string => text.replace(/\s*\n\s*›\s*/g, ' ');

interface Hook { body: Record<string, Json>; at: number }

(built ? describe : describe.skip)('agent SLA automations (real server, agents, webhook and CLI)', () => {
  let dataDir: string;
  let server: ControlPlane;
  let receiver: Server;
  let hookUrl: string;
  const hooks: Hook[] = [];
  const serverLog: string[] = [];
  const agents: CliAgent[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(path.join(tmpdir(), 'agent-sla-'));
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        hooks.push({ body: JSON.parse(body), at: Date.now() });
        res.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/prefect-sla`;
    server = await startControlPlane({ port: 0, dataDir, slaCheckIntervalMs: 200, slaWebhook: { backoffMs: 200, timeoutMs: 2000 }, log: (l, m) => serverLog.push(`${l} ${m}`) });
  });

  afterAll(async () => {
    for (const a of agents) if (a.child.exitCode === null && a.child.signalCode === null) a.child.kill('SIGKILL');
    await Promise.all(agents.map((a) => a.exit));
    await server?.close();
    await new Promise<void>((r) => receiver.close(() => r()));
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(HOME, { recursive: true, force: true });
  });

  const agent = (name: string, configId: string): CliAgent => {
    const a = startCliAgent(['--api', server.url, '--no-hostname-label', '--name', name, '--agent-config-id', configId]);
    agents.push(a);
    return a;
  };

  it('rejects bad inputs with clear errors naming the flag', async () => {
    const negative = await prefect('agent', 'config', 'create', '--name', 'bad', '--sla-seconds', '-5', '--api', server.url);
    expect(negative.code).toBe(2);
    expect(unwrap(negative.stderr)).toContain('--sla-seconds must be a whole number of seconds of at least 1 (got -5)');
    const notUrl = await prefect('agent', 'config', 'create', '--name', 'bad', '--webhook', 'hooks.example.com/x', '--api', server.url);
    expect(notUrl.code).toBe(2);
    expect(unwrap(notUrl.stderr)).toContain('--webhook must be an http:// or https:// URL');
    const minHealthy = await prefect('agent', 'config', 'create', '--name', 'bad', '--min-healthy', '0', '--api', server.url, '--json');
    expect(minHealthy.code).toBe(2);
    expect(json(minHealthy).error).toMatchObject({ code: 'BAD_FLAG_MIN_HEALTHY', exitCode: 2 });
    const unknown = await prefect('agent', 'status', '--agent-config-id', '00000000-0000-4000-8000-000000000000', '--api', server.url, '--json');
    expect(unknown.code).toBe(4);
    expect(json(unknown).error).toMatchObject({ code: 'AGENT_CONFIG_NOT_FOUND', message: expect.stringContaining('No agent config 00000000-0000-4000-8000-000000000000') });
    const malformed = await prefect('agent', 'status', '--agent-config-id', 'not-a-uuid', '--api', server.url);
    expect(malformed.code).toBe(2);
    expect(unwrap(malformed.stderr)).toContain('--agent-config-id');
  });

  it('fires one failure after the SLA when the agents are killed, and one recovery when one restarts', async () => {
    const created = await prefect('agent', 'config', 'create', '--name', 'e2e-group', '--sla-seconds', String(SLA_SECONDS), '--min-healthy', '1', '--webhook', hookUrl, '--api', server.url);
    expect(created.code).toBe(0);
    const configId = created.stdout.trim();
    expect(configId).toMatch(/^[0-9a-f-]{36}$/);
    const listed = json<Json[]>(await prefect('agent', 'config', 'list', '--api', server.url, '--json'));
    expect(listed).toEqual([expect.objectContaining({ id: configId, name: 'e2e-group', slaSeconds: SLA_SECONDS, minHealthy: 1, webhookUrl: hookUrl, agentCount: 0 })]);

    const [a, b] = [agent('sla-a', configId), agent('sla-b', configId)];
    await Promise.all([a.waitForLine(/Waiting for flow runs/), b.waitForLine(/Waiting for flow runs/)]);
    const healthy = await prefect('agent', 'status', '--agent-config-id', configId, '--api', server.url, '--json');
    expect(healthy.code).toBe(0);
    const shape = json(healthy);
    expect(Object.keys(shape).sort()).toEqual(['agentConfigId', 'agents', 'api', 'checkedAt', 'events', 'healthyCount', 'ok', 'staleAfterSeconds']);
    expect(shape).toMatchObject({ ok: true, healthyCount: 2, agentConfigId: configId, events: [] });
    expect(shape.agents.map((r: Json) => r.name).sort()).toEqual(['sla-a', 'sla-b']);
    expect(shape.agents[0]).toEqual({
      id: expect.any(String), name: expect.any(String), type: 'LocalAgent', labels: [], agentConfigId: configId,
      lastQueried: expect.any(String), secondsSinceQuery: expect.any(Number), healthy: true, runsInFlight: 0,
    });
    const agentIds = shape.agents.map((r: Json) => r.id).sort();

    // idle agents stay healthy past the SLA (their long polls count as querying for work)
    await new Promise((r) => setTimeout(r, (SLA_SECONDS + 1) * 1000));
    expect(hooks).toEqual([]);

    a.child.kill('SIGKILL');
    b.child.kill('SIGKILL');
    await Promise.all([a.exit, b.exit]);
    const killedAt = Date.now();
    const lastQueried = Math.max(...(await lastQueriedOf(agentIds)));

    const failure = await waitFor(() => hooks.find((h) => h.body.type === 'AGENT_SLA_FAILURE'), 20_000, 'the failure webhook');
    expect(failure.body).toEqual({
      id: expect.any(String), type: 'AGENT_SLA_FAILURE', event: 'Agent SLA failure', agent_config_id: configId, agent_config_name: 'e2e-group',
      tenant_id: expect.any(String), healthy_agent_ids: [], unhealthy_agent_ids: agentIds, sla_min_healthy: 1, sla_seconds: SLA_SECONDS,
      created: expect.any(String),
    });
    // not before the SLA: the event is at least sla_seconds after the group's last query
    expect(Date.parse(failure.body.created) - lastQueried).toBeGreaterThanOrEqual(SLA_SECONDS * 1000);
    expect(failure.at).toBeGreaterThanOrEqual(killedAt);
    expect(serverLog.some((l) => l.startsWith(`warn Agent SLA failure: agent config ${configId} "e2e-group" has 0 of 2`))).toBe(true);

    const down = await prefect('agent', 'status', '--agent-config-id', configId, '--api', server.url, '--json');
    expect(down.code).toBe(5);
    expect(json(down)).toMatchObject({ ok: false, healthyCount: 0, events: [{ id: failure.body.id, type: 'AGENT_SLA_FAILURE', open: true, deliveryAttempts: 1, deliveredAt: expect.any(String), unhealthyAgentIds: agentIds }] });
    const text = await prefect('agent', 'status', '--agent-config-id', configId, '--api', server.url);
    expect(text.code).toBe(5);
    expect(text.stdout).toMatch(/1 open agent SLA failure\(s\):\n {2}e2e-group: 0 healthy of 2 agent\(s\), minimum 1/);
    expect(text.stdout).toMatch(/SLA failure \(OPEN\)\s+e2e-group/);
    expect(text.stdout).toContain('0 of 2 agent(s) healthy');

    const restarted = agent('sla-a', configId);
    await restarted.waitForLine(/Waiting for flow runs/);
    const recovered = await waitFor(() => hooks.find((h) => h.body.type === 'AGENT_SLA_RECOVERED'), 10_000, 'the recovery webhook');
    expect(recovered.body).toMatchObject({ type: 'AGENT_SLA_RECOVERED', event: 'Agent SLA recovered', agent_config_id: configId, healthy_agent_ids: [expect.any(String)], unhealthy_agent_ids: [expect.any(String)] });
    expect(agentIds).toContain(recovered.body.healthy_agent_ids[0]); // the same agent id again (registration dedup)

    await new Promise((r) => setTimeout(r, 1000)); // several more checks: still exactly one of each
    expect(hooks.map((h) => h.body.type)).toEqual(['AGENT_SLA_FAILURE', 'AGENT_SLA_RECOVERED']);
    const up = await prefect('agent', 'status', '--agent-config-id', configId, '--api', server.url, '--json');
    expect(up.code).toBe(0);
    expect(json(up)).toMatchObject({ ok: true, healthyCount: 1, events: [{ type: 'AGENT_SLA_RECOVERED', open: false }, { type: 'AGENT_SLA_FAILURE', open: false }] });
    const configs = json<Json[]>(await prefect('agent', 'config', 'list', '--api', server.url, '--json'));
    expect(configs).toEqual([expect.objectContaining({ id: configId, slaState: 'ok', agentCount: 2 })]);
  }, 60_000);

  async function lastQueriedOf(ids: string[]): Promise<number[]> {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: 'query($ids: [UUID!]) { agent(where: { id: { _in: $ids } }) { last_queried } }', variables: { ids } }),
    });
    const body = (await res.json()) as { data: { agent: { last_queried: string }[] } };
    return body.data.agent.map((r) => Date.parse(r.last_queried));
  }
});
