import { createServer } from 'node:net';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { TestApi } from '../src/api';
import { startAgent, type RunningAgent } from '../src/agent';
import { fixture, survivors, waitFor } from '../src/processes';
import { startServer, storeLocation, type StoreLocation } from '../src/server';

const node = process.execPath;
const command = (...argv: string[]) => ({ type: 'Command', argv });

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function health(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${url}/api/health`);
  return { status: res.status, body: await res.text() };
}

describe('fallback: Prefect 1 protocol (server extensions off)', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let api: TestApi;
  let agent: RunningAgent | undefined;
  beforeAll(async () => {
    location = await storeLocation('sqlite');
    server = await startServer(location, { extensions: false });
    api = new TestApi(server.url);
  });
  afterEach(async () => {
    await agent?.stop(false);
    agent = undefined;
  });
  afterAll(async () => {
    await server.close();
    await location.dispose();
  });

  it('polls with get_runs_in_queue, sets Submitted before spawning, and runs to Success', async () => {
    agent = startAgent(server.url, { labels: ['dev'] });
    const flow = await api.createFlow({ storage: command(node, fixture('exit-with.js'), '0', 'fallback works') });
    const id = await api.createRun(flow, { labels: ['dev'] });
    const created = await api.run(id);
    const run = await api.waitForState(id, ['Success', 'Failed']);
    expect(run.state).toBe('Success');
    expect(run.version).toBe(created.version + 3);
    await waitFor(async () => (await api.logs(id)).includes('fallback works'), 5000, 'output');
    expect(agent.lines.some((l) => l.includes('Protocol: Prefect 1 polling'))).toBe(true);
  });

  it('waits for a run scheduled a few seconds ahead (10 s prefetch) and fails a bad exit code', async () => {
    agent = startAgent(server.url);
    const flow = await api.createFlow({ storage: command(node, fixture('exit-with.js'), '2') });
    const start = new Date(Date.now() + 1500).toISOString();
    const id = await api.createRun(flow, { scheduled_start_time: start });
    const run = await api.waitForState(id, ['Success', 'Failed'], 20_000);
    expect(run.state).toBe('Failed');
    expect(run.state_message).toBe('Flow run process exited with code 2');
    expect(Date.parse(run.start_time ?? '')).toBeGreaterThanOrEqual(Date.parse(start));
  });

  it('cancels a running run by watching its state', async () => {
    agent = startAgent(server.url, { killGraceMs: 500 });
    const flow = await api.createFlow({ storage: command(node, fixture('forever.js')) });
    const id = await api.createRun(flow);
    await api.waitForState(id, ['Running']);
    await api.cancel(id);
    expect((await api.waitForState(id, ['Cancelled', 'Failed', 'Success'], 10_000)).state).toBe('Cancelled');
  });
});

describe('health, shutdown and API outages', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let api: TestApi;
  let agent: RunningAgent | undefined;
  beforeAll(async () => {
    location = await storeLocation('sqlite');
  });
  afterEach(async () => {
    await agent?.stop(false);
    agent = undefined;
    await server?.close().catch(() => undefined);
  });
  afterAll(async () => {
    await location.dispose();
  });

  it('serves 503 before registration (API down), 200 once registered, 503 after polls keep failing; poke answers 200', async () => {
    const port = await freePort();
    const apiUrl = `http://127.0.0.1:${port}`;
    agent = startAgent(apiUrl, { agentAddress: 'http://127.0.0.1:0' });
    const url = await waitFor(() => agent?.agent.healthUrl, 5000, 'health server');
    await waitFor(() => agent?.lines.some((l) => l.includes('failed (attempt 2)')), 10_000, 'two failed registrations');
    const before = await health(url);
    expect(before.status).toBe(503);
    expect(JSON.parse(before.body).reason).toMatch(/^not registered with the API yet: Cannot reach the Prefect API at .*ECONNREFUSED/);
    expect(agent.lines.find((l) => l.includes('failed (attempt 1)'))).toMatch(/ERROR - agent \| Registering with the API at .* failed \(attempt 1\): .*ECONNREFUSED\. Retrying in \d+\.\d s/);
    server = await startServer(location, { port });
    api = new TestApi(server.url);
    await waitFor(async () => (await health(url)).status === 200, 10_000, 'healthy');
    expect((await health(url)).body).toBe('{}');
    expect((await fetch(`${url}/api/poke`)).status).toBe(200);
    expect((await fetch(`${url}/api/other`)).status).toBe(404);
    await server.close();
    await waitFor(async () => (await health(url)).status === 503, 20_000, 'unhealthy after failed polls');
    expect(JSON.parse((await health(url)).body).reason).toMatch(/consecutive polls failed/);
  });

  it('survives an API outage in the middle of a run and delivers the final state once the API is back', async () => {
    const port = await freePort();
    server = await startServer(location, { port, leaseSeconds: 30 });
    api = new TestApi(server.url);
    agent = startAgent(server.url);
    const flow = await api.createFlow({ storage: command(node, fixture('sleep-then.js'), '1500') });
    const id = await api.createRun(flow);
    await api.waitForState(id, ['Running']);
    const pid = Number((await api.logs(id)).find((l) => l.startsWith('Submitted for execution'))?.split('PID: ')[1]);
    await server.close();
    await waitFor(() => survivors({ pids: [pid] }).length === 0, 10_000, 'the child to finish while the API is down');
    await waitFor(() => agent?.lines.some((l) => /Could not set flow run .* to Success/.test(l)), 10_000, 'a failed final-state attempt');
    server = await startServer(location, { port, leaseSeconds: 30 });
    const run = await api.waitForState(id, ['Success', 'Failed'], 20_000);
    expect(run.state).toBe('Success');
    await waitFor(async () => (await api.logs(id)).includes('slept'), 10_000, 'logs shipped after the outage');
  });

  it('graceful stop: no new claims, running runs finish within --stop-timeout', async () => {
    server = await startServer(location);
    api = new TestApi(server.url);
    agent = startAgent(server.url, { stopTimeout: 10 });
    const flow = await api.createFlow({ storage: command(node, fixture('sleep-then.js'), '800') });
    const id = await api.createRun(flow);
    await api.waitForState(id, ['Running']);
    agent.agent.stop({ graceful: true });
    const later = await api.createRun(flow);
    const result = await agent.done;
    agent = undefined;
    expect(result.protocol).toBe('claim');
    expect((await api.run(id)).state).toBe('Success');
    expect((await api.run(later)).state).toBe('Scheduled');
    await api.cancel(later);
  });

  it('past --stop-timeout the process groups are terminated and the runs record why; a second stop kills at once', async () => {
    server = await startServer(location);
    api = new TestApi(server.url);
    agent = startAgent(server.url, { stopTimeout: 0.5, killGraceMs: 30_000 });
    const flow = await api.createFlow({ storage: command(node, fixture('forever.js'), '--ignore-term') });
    const a = await api.createRun(flow);
    const b = await api.createRun(flow);
    await api.waitForState(a, ['Running']);
    await api.waitForState(b, ['Running']);
    agent.agent.stop({ graceful: true });
    await waitFor(() => agent?.lines.some((l) => l.includes('Terminating 2 flow run(s)')), 5000, 'termination after stop timeout');
    agent.agent.stop({ graceful: false });
    await agent.done;
    agent = undefined;
    for (const id of [a, b]) {
      const run = await api.run(id);
      expect(run.state).toBe('Failed');
      expect(run.state_message).toMatch(/^Terminated: the agent was stopped .*\(signal SIGKILL\)$/);
    }
  });

  it('max polls ends the agent after N polls, once its runs are done', async () => {
    server = await startServer(location);
    api = new TestApi(server.url);
    const flow = await api.createFlow({ storage: command(node, fixture('sleep-then.js'), '300') });
    const id = await api.createRun(flow);
    agent = startAgent(server.url, { maxPolls: 2, pollWaitSeconds: 0 });
    const result = await agent.done;
    agent = undefined;
    expect(result.polls).toBe(2);
    expect((await api.run(id)).state).toBe('Success');
  });
});
