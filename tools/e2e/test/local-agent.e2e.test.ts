import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { TestApi } from '../src/api';
import { startAgent, type RunningAgent } from '../src/agent';
import { fixture, survivors, waitFor } from '../src/processes';
import { postgresAvailable, startServer, storeLocation, type StoreKind, type StoreLocation } from '../src/server';

const node = process.execPath;
const command = (...argv: string[]) => ({ type: 'Command', argv });

describe.each<StoreKind>(['sqlite', 'postgres'])('local agent end to end (%s store)', (kind) => {
  let location: StoreLocation | undefined;
  let server: ControlPlane;
  let api: TestApi;
  let agent: RunningAgent | undefined;

  beforeAll(async () => {
    if (kind === 'postgres' && !(await postgresAvailable())) return;
    location = await storeLocation(kind);
    server = await startServer(location);
    api = new TestApi(server.url);
  });
  afterEach(async () => {
    await agent?.stop(false);
    agent = undefined;
  });
  afterAll(async () => {
    await server?.close();
    await location?.dispose();
  });
  const maybe = (name: string, fn: () => Promise<void>) => it(name, async () => {
    if (!location) return; // PostgreSQL unreachable outside CI (postgresAvailable warned)
    await fn();
  });

  maybe('runs a Command flow: Scheduled → Submitted → Running → Success, output in the run logs', async () => {
    agent = startAgent(server.url);
    const flow = await api.createFlow({ storage: command(node, fixture('exit-with.js'), '0', 'hello from the flow') });
    const id = await api.createRun(flow);
    const created = await api.run(id);
    expect(created.state).toBe('Scheduled');
    const done = await api.waitForState(id, ['Success', 'Failed']);
    expect(done.state).toBe('Success');
    expect(done.version).toBe(created.version + 3); // Submitted, Running, Success
    expect(done.agent_id).toBeTruthy();
    const logs = await waitFor(async () => { const l = await api.logs(id); return l.includes('hello from the flow') && l; }, 5000, 'run logs');
    expect(logs).toEqual(expect.arrayContaining([expect.stringMatching(/^Submitted for execution: PID: \d+$/), 'hello from the flow', 'exiting with 0']));
  });

  maybe('runs Module flows (ESM default export, CommonJS named export) with their parameters', async () => {
    agent = startAgent(server.url);
    const esm = await api.createFlow({ storage: { type: 'Module', path: fixture('flow.mjs') } });
    const cjs = await api.createFlow({ storage: { type: 'Module', path: fixture('flow.cjs'), export: 'run' } });
    const a = await api.createRun(esm, { parameters: { day: 'mon' } });
    const b = await api.createRun(cjs, { parameters: { n: 2 } });
    expect((await api.waitForState(a, ['Success', 'Failed'])).state).toBe('Success');
    expect((await api.waitForState(b, ['Success', 'Failed'])).state).toBe('Success');
    await waitFor(async () => (await api.logs(a)).includes('esm flow got {"day":"mon"}'), 5000, 'esm output');
    await waitFor(async () => (await api.logs(b)).includes('cjs flow got {"n":2}'), 5000, 'cjs output');
  });

  maybe('fails a run whose module throws, with the message in the logs, and goes on', async () => {
    agent = startAgent(server.url);
    const flow = await api.createFlow({ storage: { type: 'Module', path: fixture('flow.mjs'), export: 'fail' } });
    const id = await api.createRun(flow, { parameters: { x: 1 } });
    const run = await api.waitForState(id, ['Success', 'Failed']);
    expect(run.state).toBe('Failed');
    expect(run.state_message).toBe('Flow run process exited with code 1');
    await waitFor(async () => (await api.logs(id)).includes('flow failed on purpose with {"x":1}'), 5000, 'error output');
  });
});
