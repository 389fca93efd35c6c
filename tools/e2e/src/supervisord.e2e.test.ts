/**
 * `prefect agent local install` end to end: the generated standalone supervisord.conf run by the
 * real supervisord against a real control plane. The agent registers; `kill -9` gets it
 * restarted; `supervisorctl stop` leaves no flow-run process behind. Needs the built CLI
 * (`npx nx run-many -t build`) and supervisor (`apt-get install -y supervisor`); under CI=true a
 * missing piece fails the suite instead of skipping it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { TestApi } from './api';
import { CLI } from './agent';
import { fixture, isAlive, psTable, waitFor } from './processes';
import { startServer, storeLocation, type StoreLocation } from './server';

const SUPERVISORD = '/usr/bin/supervisord';
const SUPERVISORCTL = '/usr/bin/supervisorctl';
const ready = existsSync(SUPERVISORD) && existsSync(CLI.replace(/bin\/run\.js$/, 'dist/commands/agent/local/install.js'));
if (!ready && process.env.CI === 'true') throw new Error('supervisord e2e needs the built CLI and supervisor (apt-get install -y supervisor)');

/** This process's environment without PREFECT__* settings (the service must not depend on them). */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PREFECT__')));

const descendants = (pid: number): number[] => {
  const rows = psTable();
  const out: number[] = [];
  const walk = (p: number) => rows.filter((r) => r.ppid === p).forEach((r) => { out.push(r.pid); walk(r.pid); });
  walk(pid);
  return out;
};

(ready ? describe : describe.skip)('supervisord runs the generated supervisord.conf (real supervisord, real control plane)', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let api: TestApi;
  let home: string;
  let conf: string;
  let daemon: ChildProcess | undefined;
  const ctl = (...args: string[]) => spawnSync(SUPERVISORCTL, ['-c', conf, ...args], { encoding: 'utf8', timeout: 60_000 });
  const agentPid = () => {
    const out = ctl('pid', 'prefect-agent-sup').stdout.trim();
    return /^\d+$/.test(out) && out !== '0' ? Number(out) : undefined;
  };

  beforeAll(async () => {
    location = await storeLocation('sqlite');
    server = await startServer(location);
    api = new TestApi(server.url);
    home = mkdtempSync(path.join(tmpdir(), 'sup-e2e-'));
    const install = spawnSync(
      process.execPath,
      [CLI, 'agent', 'local', 'install', '--scope', 'user', '--api', server.url, '--no-hostname-label', '--label', 'sup e2e', '--name', 'sup', '--stop-timeout', '3'],
      { cwd: home, encoding: 'utf8', env: { ...cleanEnv(), HOME: home } },
    );
    expect(install.stderr).not.toMatch(/Error/);
    expect(install.status).toBe(0);
    conf = path.join(home, 'supervisord.conf');
    writeFileSync(conf, install.stdout);
    daemon = spawn(SUPERVISORD, ['-n', '-c', conf], { stdio: 'ignore', env: { ...cleanEnv(), HOME: home } });
  });

  afterAll(async () => {
    if (daemon && daemon.exitCode === null) {
      ctl('shutdown');
      await waitFor(() => daemon!.exitCode !== null || daemon!.signalCode !== null, 40_000, 'supervisord to exit').catch(() => daemon!.kill('SIGKILL'));
    }
    await server?.close();
    await location?.dispose();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('the agent registers, is restarted after kill -9, and supervisorctl stop leaves no flow-run process', async () => {
    const registered = await waitFor(async () => (await api.agents()).find((a) => a.name === 'sup'), 30_000, 'agent registration');
    expect(registered.labels).toEqual(['sup e2e']);

    const first = await waitFor(agentPid, 20_000, 'agent pid');
    // the service's node flags reach the agent process (and node accepts them: it registered)
    expect(readFileSync(`/proc/${first}/cmdline`, 'utf8').split('\0')).toContain('--max-semi-space-size=2');
    process.kill(first, 'SIGKILL');
    const second = await waitFor(() => { const p = agentPid(); return p !== undefined && p !== first ? p : undefined; }, 30_000, 'restart after kill -9');
    expect(isAlive(second)).toBe(true);

    const flowId = await api.createFlow({ storage: { type: 'Command', argv: [process.execPath, fixture('spawns-grandchild.js')] } });
    const runId = await api.createRun(flowId, { labels: ['sup e2e'] });
    await api.waitForState(runId, ['Running'], 30_000);
    const flowProcesses = await waitFor(() => { const d = descendants(second); return d.length >= 2 ? d : undefined; }, 10_000, 'flow run and grandchild');

    const stop = ctl('stop', 'prefect-agent-sup');
    expect(stop.stdout).toMatch(/prefect-agent-sup: stopped/);
    expect(isAlive(second)).toBe(false);
    await waitFor(() => flowProcesses.every((p) => !isAlive(p)), 5_000, 'no orphaned flow-run process').catch(() => undefined);
    expect(psTable().filter((r) => flowProcesses.includes(r.pid))).toEqual([]);
  }, 120_000);
});
