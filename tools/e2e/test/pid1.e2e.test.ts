import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { TestApi } from '../src/api';
import { CLI } from '../src/agent';
import { psTable, waitFor, type PsRow } from '../src/processes';
import { startServer, storeLocation, type StoreLocation } from '../src/server';

// The built CLI agent as PID 1 of a new PID namespace (a container without --init): flow runs
// that leave grandchildren behind must not leave zombies. Needs root and util-linux `unshare`.
const built = existsSync(CLI) && existsSync(path.join(__dirname, '../../../libs/agent-core/dist/native/reaper.node'));

function unshareUsable(): boolean {
  const probe = spawnSync('unshare', ['--pid', '--fork', '--mount-proc', 'true'], { encoding: 'utf8' });
  if (probe.status === 0) return true;
  const why = probe.error?.message ?? probe.stderr.trim();
  if (process.env.CI === 'true') throw new Error(`unshare --pid (root, util-linux) is required in CI: ${why}`);
  console.warn(`unshare --pid unavailable (${why}): the PID-1 tests are skipped`);
  return false;
}

if (process.env.CI === 'true' && !built) throw new Error('build the agent CLI and agent-core (with dist/native/reaper.node) before the PID-1 tests');
const command = (...argv: string[]) => ({ type: 'Command', argv });

interface Pid1Agent {
  unshare: ChildProcess;
  /** The agent's pid as seen from here (it is 1 inside its namespace). */
  agentPid: number;
  output: string[];
  exit: Promise<number | null>;
}

async function startPid1Agent(api: string, env: Record<string, string> = {}): Promise<Pid1Agent> {
  const args = ['--pid', '--fork', '--mount-proc', '--kill-child=SIGKILL', process.execPath, CLI, 'agent', 'local', 'start'];
  const unshare = spawn('unshare', [...args, '--api', api, '--no-hostname-label', '--label', 'pid1', '--log-level', 'DEBUG'], {
    env: { PATH: process.env.PATH, HOME: mkdtempSync(path.join(tmpdir(), 'agent-home-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  unshare.stdout?.on('data', collect);
  unshare.stderr?.on('data', collect);
  const exit = new Promise<number | null>((resolve) => unshare.on('exit', (code) => resolve(code)));
  const agentPid = await waitFor(() => psTable().find((r) => r.ppid === unshare.pid)?.pid, 10_000, 'the namespaced agent');
  await waitFor(() => output.some((l) => /Waiting for flow runs/.test(l)), 20_000, `the agent to start:\n${output.join('\n')}`);
  return { unshare, agentPid, output, exit };
}

/** Every process of the agent's namespace except the agent: its descendants (zombies included). */
function namespaceProcesses(agentPid: number): PsRow[] {
  const rows = psTable();
  const out: PsRow[] = [];
  const walk = (p: number) => rows.filter((r) => r.ppid === p).forEach((r) => { out.push(r); walk(r.pid); });
  walk(agentPid);
  return out;
}
const zombies = (rows: PsRow[]) => rows.filter((r) => r.stat.startsWith('Z'));
const sleepers = (rows: PsRow[]) => rows.filter((r) => /^sleep\b/.test(r.cmd) && !r.stat.startsWith('Z'));

(built && unshareUsable() ? describe : describe.skip)('agent as PID 1 of a PID namespace (real CLI, unshare)', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let api: TestApi;
  let agent: Pid1Agent | undefined;
  beforeAll(async () => {
    location = await storeLocation('sqlite');
    server = await startServer(location);
    api = new TestApi(server.url);
  });
  afterEach(async () => {
    if (agent && agent.unshare.exitCode === null) {
      agent.unshare.kill('SIGKILL'); // --kill-child: the agent dies, and the namespace with it
      await agent.exit;
    }
    agent = undefined;
  });
  afterAll(async () => {
    await server.close();
    await location.dispose();
  });

  /** Two runs whose grandchildren outlive their leader: plain background jobs and a double fork. */
  async function runLeavingGrandchildren(): Promise<void> {
    const ids: string[] = [];
    for (const argv of [['sleep 30 & sleep 30 & exit 0'], ['(sleep 30 &) ; exit 0']]) {
      const flow = await api.createFlow({ storage: command('sh', '-c', ...argv) });
      ids.push(await api.createRun(flow, { labels: ['pid1'] }));
    }
    for (const id of ids) expect((await api.waitForState(id, ['Success', 'Failed'], 30_000)).state).toBe('Success');
  }

  async function stopAgent(a: Pid1Agent): Promise<void> {
    process.kill(a.agentPid, 'SIGTERM');
    expect(await a.exit).toBe(0);
  }

  it('runs as PID 1 and leaves no zombie and no leftover process behind', async () => {
    agent = await startPid1Agent(server.url);
    expect(readFileSync(`/proc/${agent.agentPid}/status`, 'utf8')).toMatch(/^NSpid:\s+\d+\s+1$/m);
    expect(agent.output.join('\n')).toMatch(/Running as PID 1: reaping orphaned processes/);
    await runLeavingGrandchildren();
    const { agentPid } = agent;
    const left = await waitFor(() => {
      const rows = namespaceProcesses(agentPid);
      return zombies(rows).length === 0 && sleepers(rows).length === 0 && rows;
    }, 5000, 'no zombies and no sleeps in the namespace').catch((error: Error) => {
      throw new Error(`${error.message}: ${JSON.stringify(namespaceProcesses(agentPid))}`);
    });
    // What remains is the agent's parent-death watchdog and nothing else.
    expect(left.map((r) => r.cmd)).toEqual([expect.stringMatching(/prefect-agent-watchdog/)]);
    // Three orphans: named sleep, or sh when the sweep's SIGTERM beat a background job's exec.
    expect(agent.output.filter((l) => /Reaped orphaned process \d+ \((sleep|sh),/.test(l)).length).toBeGreaterThanOrEqual(3);
    // Still clean a moment later (nothing reappears), and the agent stops cleanly.
    await new Promise((r) => setTimeout(r, 1500));
    expect(zombies(namespaceProcesses(agentPid))).toEqual([]);
    await stopAgent(agent);
  });

  it('control: with PREFECT_TS_REAPER=off the same runs leave zombies (so the reaper is what fixes it)', async () => {
    agent = await startPid1Agent(server.url, { PREFECT_TS_REAPER: 'off' });
    expect(agent.output.join('\n')).not.toMatch(/reaping orphaned processes/);
    await runLeavingGrandchildren();
    const { agentPid } = agent;
    const dead = await waitFor(() => {
      const found = zombies(namespaceProcesses(agentPid));
      return found.length >= 3 && found;
    }, 10_000, 'the zombies of the three orphans');
    expect(dead.filter((r) => r.ppid !== agentPid || !/^\[(sleep|sh)\] <defunct>$/.test(r.cmd))).toEqual([]);
    // The sleeps were killed (the group sweep works) but nobody waits for them.
    expect(sleepers(namespaceProcesses(agentPid))).toEqual([]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(zombies(namespaceProcesses(agentPid)).length).toBeGreaterThanOrEqual(3);
    await stopAgent(agent);
  });
});
