import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startAgent } from '../src/agent';
import { fixture, survivors, waitFor } from '../src/processes';
import type { StoreKind } from '../src/server';
import { storeSuite } from '../src/store-suite';

const node = process.execPath;
const command = (...argv: string[]) => ({ type: 'Command', argv });

describe.each<StoreKind>(['sqlite', 'postgres'])('local agent end to end (%s store)', (kind) => {
  const s = storeSuite(kind);
  const { maybe } = s;

  maybe('runs a Command flow: Scheduled → Submitted → Running → Success, output in the run logs', async () => {
    const flow = await s.api.createFlow({ storage: command(node, fixture('exit-with.js'), '0', 'hello from the flow') });
    const id = await s.api.createRun(flow);
    const created = await s.api.run(id);
    expect(created.state).toBe('Scheduled');
    // started after the run exists: a long-polling agent claims a new run within milliseconds
    s.agent = startAgent(s.server.url);
    const done = await s.api.waitForState(id, ['Success', 'Failed']);
    expect(done.state).toBe('Success');
    expect(done.version).toBe(created.version + 3); // Submitted, Running, Success
    expect(done.agent_id).toBeTruthy();
    const logs = await waitFor(async () => { const l = await s.api.logs(id); return l.includes('hello from the flow') && l; }, 5000, 'run logs');
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/^Submitted for execution: PID: \d+$/), 'hello from the flow', 'exiting with 0']));
  });

  maybe('runs Module flows (ESM default export, CommonJS named export) with their parameters', async () => {
    s.agent = startAgent(s.server.url);
    const esm = await s.api.createFlow({ storage: { type: 'Module', path: fixture('flow.mjs') } });
    const cjs = await s.api.createFlow({ storage: { type: 'Module', path: fixture('flow.cjs'), export: 'run' } });
    const a = await s.api.createRun(esm, { parameters: { day: 'mon' } });
    const b = await s.api.createRun(cjs, { parameters: { n: 2 } });
    expect((await s.api.waitForState(a, ['Success', 'Failed'])).state).toBe('Success');
    expect((await s.api.waitForState(b, ['Success', 'Failed'])).state).toBe('Success');
    await waitFor(async () => (await s.api.logs(a)).includes('esm flow got {"day":"mon"}'), 5000, 'esm output');
    await waitFor(async () => (await s.api.logs(b)).includes('cjs flow got {"n":2}'), 5000, 'cjs output');
  });

  maybe('fails a run whose module throws, with the message in the logs, and goes on', async () => {
    s.agent = startAgent(s.server.url);
    const flow = await s.api.createFlow({ storage: { type: 'Module', path: fixture('flow.mjs'), export: 'fail' } });
    const id = await s.api.createRun(flow, { parameters: { x: 1 } });
    const run = await s.api.waitForState(id, ['Success', 'Failed']);
    expect(run.state).toBe('Failed');
    expect(run.state_message).toBe('Flow run process exited with code 1');
    await waitFor(async () => (await s.api.logs(id)).includes('flow failed on purpose with {"x":1}'), 5000, 'error output');
  });

  maybe('builds the child env (agent env < --env < run config env < fixed block) and honours working_dir', async () => {
    const workDir = realpathSync(mkdtempSync(path.join(tmpdir(), 'wd-')));
    s.agent = startAgent(s.server.url, {
      labels: ['dev'],
      env: { TEST_A: 'agent-flag', TEST_B: 'agent-flag', PREFECT__CONTEXT__FLOW_RUN_ID: 'spoofed' },
      agentEnv: { PATH: process.env.PATH ?? '', TEST_A: 'agent-env', TEST_C: 'agent-env', TEST_D: 'agent-env' },
    });
    const flow = await s.api.createFlow({
      storage: command(node, fixture('print-env.js')),
      run_config: { type: 'LocalRun', working_dir: workDir, env: { TEST_B: 'run-config', TEST_D: 'run-config', PREFECT__CLOUD__API: 'spoofed' } },
    });
    const id = await s.api.createRun(flow, { labels: ['dev'], parameters: { day: 'tue' } });
    expect((await s.api.waitForState(id, ['Success', 'Failed'])).state).toBe('Success');
    const line = await waitFor(async () => (await s.api.logs(id)).find((l) => l.startsWith('{')), 5000, 'env output');
    const { cwd, env } = JSON.parse(line);
    expect(cwd).toBe(workDir);
    expect(env).toMatchObject({
      TEST_A: 'agent-flag', TEST_B: 'run-config', TEST_C: 'agent-env', TEST_D: 'run-config',
      PREFECT__BACKEND: 'server', PREFECT__CLOUD__API: s.server.url, PREFECT__CLOUD__AGENT__LABELS: '["dev"]',
      PREFECT__CONTEXT__FLOW_RUN_ID: id, PREFECT__CONTEXT__FLOW_ID: flow,
    });
    expect(JSON.parse(env.PREFECT__CONTEXT__PARAMETERS)).toEqual({ day: 'tue' });
    expect(env.PREFECT__CLOUD__TENANT_ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(env.PREFECT__CLOUD__API_KEY).toBeUndefined();
  });

  maybe('takes runs whose labels are a subset of its own; an unlabeled run only goes to an unlabeled agent', async () => {
    s.agent = startAgent(s.server.url, { labels: ['dev', 'staging'] });
    const flow = await s.api.createFlow({ storage: command(node, fixture('exit-with.js'), '0') });
    const sub = await s.api.createRun(flow, { labels: ['dev'] });
    const other = await s.api.createRun(flow, { labels: ['dev', 'prod'] });
    const unlabeled = await s.api.createRun(flow, { labels: [] });
    expect((await s.api.waitForState(sub, ['Success', 'Failed'])).state).toBe('Success');
    await new Promise((r) => setTimeout(r, 500));
    expect((await s.api.run(other)).state).toBe('Scheduled');
    expect((await s.api.run(unlabeled)).state).toBe('Scheduled');
    await s.agent.stop();
    s.agent = startAgent(s.server.url, { labels: [] });
    expect((await s.api.waitForState(unlabeled, ['Success', 'Failed'])).state).toBe('Success');
    expect((await s.api.run(other)).state).toBe('Scheduled');
    await s.api.cancel(other);
  });

  maybe('fails runs that cannot start with a clear message and goes on', async () => {
    s.agent = startAgent(s.server.url);
    const cases: [unknown, unknown, RegExp][] = [
      [command(node, fixture('exit-with.js'), '3'), undefined, /^Flow run process exited with code 3$/],
      [command('no-such-command-prefect-e2e'), undefined, /^Command not found: no-such-command-prefect-e2e$/],
      [command(node, '-e', '1'), { type: 'LocalRun', working_dir: '/nonexistent/prefect-e2e' }, /nonexistent `working_dir` configured: \/nonexistent\/prefect-e2e/],
      [{ type: 'Docker', image: 'x' }, undefined, /^Unsupported Storage type: Docker/],
      [command(node, '-e', '1'), { type: 'KubernetesRun' }, /run_config` of type `KubernetesRun`, only `LocalRun` is supported/],
      [command(node, '-e', 'process.kill(process.pid, "SIGKILL")'), undefined, /terminated by signal SIGKILL/],
    ];
    const ids: string[] = [];
    for (const [storage, runConfig] of cases) {
      const flow = await s.api.createFlow({ storage, ...(runConfig ? { run_config: runConfig } : {}) });
      ids.push(await s.api.createRun(flow));
    }
    for (const [i, id] of ids.entries()) {
      const run = await s.api.waitForState(id, ['Success', 'Failed']);
      expect(run.state).toBe('Failed');
      expect(run.state_message).toMatch(cases[i][2]);
    }
    const ok = await s.api.createRun(await s.api.createFlow({ storage: command(node, '-e', '1') }));
    expect((await s.api.waitForState(ok, ['Success', 'Failed'])).state).toBe('Success');
  });

  maybe('cancels a run through the API: SIGTERM to the group, SIGKILL after the grace, Cancelled, no grandchild left', async () => {
    s.agent = startAgent(s.server.url, { killGraceMs: 500 });
    const flow = await s.api.createFlow({ storage: command(node, fixture('spawns-grandchild.js')) });
    const id = await s.api.createRun(flow);
    await s.api.waitForState(id, ['Running']);
    const line = await waitFor(async () => (await s.api.logs(id)).find((l) => l.startsWith('grandchild ')), 5000, 'grandchild pid');
    const grandchild = Number(line.split(' ')[1]);
    const pid = Number((await s.api.logs(id)).find((l) => l.startsWith('Submitted for execution'))?.split('PID: ')[1]);
    expect(survivors({ pids: [grandchild] })[0]?.pgid).toBe(pid);
    expect(await s.api.cancel(id)).toBe('Cancelling');
    const run = await s.api.waitForState(id, ['Cancelled', 'Failed', 'Success'], 10_000);
    expect(run.state).toBe('Cancelled');
    await waitFor(() => survivors({ pgids: [pid], pids: [pid, grandchild] }).length === 0, 5000, 'process group gone');
  });

  maybe('caps concurrent runs with --limit', async () => {
    s.agent = startAgent(s.server.url, { limit: 1 });
    const flow = await s.api.createFlow({ storage: command(node, fixture('sleep-then.js'), '400') });
    const a = await s.api.createRun(flow);
    const b = await s.api.createRun(flow);
    await waitFor(async () => (await s.api.run(a)).state === 'Running' || (await s.api.run(b)).state === 'Running', 10_000, 'one running');
    const states = [(await s.api.run(a)).state, (await s.api.run(b)).state].sort();
    expect(states).toEqual(['Running', 'Scheduled']);
    expect((await s.api.waitForState(a, ['Success'])).state).toBe('Success');
    expect((await s.api.waitForState(b, ['Success'])).state).toBe('Success');
  });

  maybe('reports run created → child spawned latency (informational)', async () => {
    s.agent = startAgent(s.server.url);
    await new Promise((r) => setTimeout(r, 300)); // idle: the agent is in a long poll
    const flow = await s.api.createFlow({ storage: command('/bin/date', '+%s%N') });
    const samples: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const before = Date.now();
      const id = await s.api.createRun(flow);
      await s.api.waitForState(id, ['Success']);
      const spawnedNs = await waitFor(async () => (await s.api.logs(id)).find((l) => /^\d{19}$/.test(l)), 5000, 'date output');
      samples.push(Number(BigInt(spawnedNs) / 1000n) / 1000 - before);
    }
    samples.sort((x, y) => x - y);
    console.log(`[${kind}] run created → child spawned: p50 ${samples[5].toFixed(1)} ms, max ${samples[9].toFixed(1)} ms (includes the create_flow_run request)`);
    expect(samples).toHaveLength(10);
  });
});
