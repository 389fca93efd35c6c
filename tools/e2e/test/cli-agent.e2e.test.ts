import { existsSync } from 'node:fs';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { TestApi } from '../src/api';
import { CLI, startCliAgent, type CliAgent } from '../src/agent';
import { fixture, isAlive, psTable, survivors, waitFor } from '../src/processes';
import { startServer, storeLocation, type StoreLocation } from '../src/server';

// The real `prefect agent local start` (needs `nx run-many -t build`) as a child process.
const built = existsSync(CLI) && existsSync(CLI.replace(/bin\/run\.js$/, 'dist/commands/agent/local/start.js'));
const node = process.execPath;
const command = (...argv: string[]) => ({ type: 'Command', argv });

(built ? describe : describe.skip)('prefect agent local start (real CLI process)', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let api: TestApi;
  let cli: CliAgent | undefined;
  beforeAll(async () => {
    location = await storeLocation('sqlite');
    server = await startServer(location);
    api = new TestApi(server.url);
  });
  afterEach(async () => {
    if (cli && cli.child.exitCode === null && cli.child.signalCode === null) {
      cli.child.kill('SIGKILL');
      await cli.exit;
    }
    cli = undefined;
  });
  afterAll(async () => {
    await server.close();
    await location.dispose();
  });

  const agentArgs = (...extra: string[]) => ['--api', server.url, '--no-hostname-label', '--label', 'cli', ...extra];

  /** Every descendant of `pid` (ps ppid chains). */
  const descendants = (pid: number): number[] => {
    const rows = psTable();
    const out: number[] = [];
    const walk = (p: number) => rows.filter((r) => r.ppid === p).forEach((r) => { out.push(r.pid); walk(r.pid); });
    walk(pid);
    return out;
  };

  it('registers with its labels and agent config, runs a flow with --show-flow-logs, and exits 0 on SIGTERM', async () => {
    const configId = await api.createAgentConfig();
    cli = startCliAgent(agentArgs('--show-flow-logs', '--name', 'cli-agent', '--agent-config-id', configId, '--env', 'TEST_FLAG=1'));
    await cli.waitForLine(/Waiting for flow runs/);
    const agents = await api.agents();
    expect(agents.find((a) => a.name === 'cli-agent')).toMatchObject({ type: 'LocalAgent', labels: ['cli'], agent_config_id: configId });
    const flow = await api.createFlow({ storage: command(node, fixture('exit-with.js'), '0', 'shown in the agent console'), name: 'shown' });
    const id = await api.createRun(flow, { labels: ['cli'], flow_run_name: 'visible-run' });
    expect((await api.waitForState(id, ['Success', 'Failed'])).state).toBe('Success');
    await cli.waitForLine(/^\[visible-run\] shown in the agent console$/);
    cli.child.kill('SIGTERM');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
  });

  it('exits 4 with a clear message for an unknown --agent-config-id', async () => {
    cli = startCliAgent(agentArgs('--agent-config-id', '00000000-0000-4000-8000-000000000000'));
    const exit = await cli.exit;
    expect(exit.code).toBe(4);
    expect(cli.output.join('\n')).toMatch(/Unknown agent config 00000000-0000-4000-8000-000000000000/);
  });

  it('SIGINT twice: the second signal terminates running runs at once; the run records why; nothing is left', async () => {
    cli = startCliAgent(agentArgs('--stop-timeout', '30'));
    await cli.waitForLine(/Waiting for flow runs/);
    const flow = await api.createFlow({ storage: command(node, fixture('spawns-grandchild.js')) });
    const id = await api.createRun(flow, { labels: ['cli'] });
    await api.waitForState(id, ['Running']);
    const tree = await waitFor(() => { const d = descendants(cli!.child.pid!); return d.length >= 3 && d; }, 5000, 'child, grandchild and watchdog');
    cli.child.kill('SIGINT');
    await cli.waitForLine(/Waiting up to 30 s for 1 running flow run/);
    expect(isAlive(tree[0])).toBe(true);
    cli.child.kill('SIGINT');
    expect(await cli.exit).toEqual({ code: 0, signal: null });
    const run = await api.run(id);
    expect(run.state).toBe('Failed');
    expect(run.state_message).toMatch(/^Terminated: the agent was stopped by a second signal/);
    await waitFor(() => survivors({ pids: tree }).length === 0, 5000, 'no survivor');
  });

  it('kill -9 of the agent: the watchdog ends the run’s process group (no orphan)', async () => {
    cli = startCliAgent(agentArgs());
    await cli.waitForLine(/Waiting for flow runs/);
    const flow = await api.createFlow({ storage: command(node, fixture('spawns-grandchild.js')) });
    const id = await api.createRun(flow, { labels: ['cli'] });
    await api.waitForState(id, ['Running']);
    const tree = await waitFor(() => { const d = descendants(cli!.child.pid!); return d.length >= 3 && d; }, 5000, 'child, grandchild and watchdog');
    cli.child.kill('SIGKILL');
    await cli.exit;
    await waitFor(() => survivors({ pids: tree }).length === 0, 10_000, 'every descendant of the killed agent to be gone');
    // The server takes the run back when the lease runs out (10 s here): the agent cannot say.
    expect(['Running', 'Scheduled']).toContain((await api.run(id)).state);
    await api.cancel(id);
  });
});
