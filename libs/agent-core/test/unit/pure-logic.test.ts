import { agentLabels, labelsMatch } from '../../src/agent/labels';
import { retryStartUp } from '../../src/agent/start-up-retry';
import { ControlPlaneError } from '../../src/errors';
import { HealthState } from '../../src/health/health-state';
import { parseAgentAddress } from '../../src/health/health-server';
import { createLogger } from '../../src/logging/logger';
import { jitteredDelay, loopIntervalMs, nextLoopIndex, PREFECT_LOOP_INTERVALS } from '../../src/loop/backoff';
import { buildChildEnv } from '../../src/runs/child-env';

const unreachable = () => new ControlPlaneError('Cannot reach the Prefect API at x: ECONNREFUSED', { code: 'API_UNREACHABLE' });
const lines: string[] = [];
const logger = createLogger({ name: 'agent', level: 'DEBUG', sink: (_l, line) => lines.push(line) });

describe('Prefect 1 poll backoff', () => {
  it('follows 0.25 s … 10 s and resets after a hit', () => {
    expect(PREFECT_LOOP_INTERVALS).toEqual([0.25, 0.5, 1, 2, 4, 8, 10]);
    const seen: number[] = [];
    let i = 0;
    for (let n = 0; n < 9; n += 1) seen.push(loopIntervalMs((i = nextLoopIndex(i, false))));
    expect(seen).toEqual([500, 1000, 2000, 4000, 8000, 10000, 10000, 10000, 10000]);
    expect(nextLoopIndex(6, true)).toBe(0);
  });
});

describe('start-up retry', () => {
  it('jitters between 50 % and 100 % of a capped exponential delay', () => {
    const opts = { baseMs: 1000, capMs: 30_000, jitter: 0.5 };
    expect([0, 1, 2, 3, 4, 5, 10].map((a) => jitteredDelay(a, { ...opts, random: () => 1 }))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
    expect([0, 5, 10].map((a) => jitteredDelay(a, { ...opts, random: () => 0 }))).toEqual([500, 15000, 15000]);
  });

  it('retries transient failures with logged reasons, and throws a rejection at once', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryStartUp('Registering', async () => {
      calls += 1;
      if (calls < 4) throw unreachable();
      return 'agent-id';
    }, { logger, signal: new AbortController().signal, backoff: { random: () => 1 }, sleep: async (ms) => { delays.push(ms); } });
    expect(result).toBe('agent-id');
    expect(delays).toEqual([1000, 2000, 4000]);
    expect(lines.filter((l) => l.includes('Registering failed'))).toHaveLength(3);
    expect(lines[0]).toMatch(/ERROR - agent \| Registering failed \(attempt 1\): Cannot reach .*ECONNREFUSED\. Retrying in 1\.0 s$/);
    const rejected = new ControlPlaneError('rejected the credentials', { code: 'UNAUTHENTICATED', graphqlCode: 'UNAUTHENTICATED' });
    await expect(retryStartUp('x', async () => { throw rejected; }, { logger, signal: new AbortController().signal })).rejects.toBe(rejected);
  });
});

describe('labels', () => {
  it('adds the host name unless disabled, without duplicates or empty labels', () => {
    expect(agentLabels(['dev', 'dev', ''], true, () => 'host1')).toEqual(['dev', 'host1']);
    expect(agentLabels(['host1'], true, () => 'host1')).toEqual(['host1']);
    expect(agentLabels(['dev'], false, () => 'host1')).toEqual(['dev']);
    expect(agentLabels([], false, () => 'host1')).toEqual([]);
  });
  it("applies Prefect's rule: R ⊆ A; an unlabeled run only for an unlabeled agent", () => {
    expect(labelsMatch(['dev'], ['dev', 'x'])).toBe(true);
    expect(labelsMatch(['dev', 'prod'], ['dev'])).toBe(false);
    expect(labelsMatch([], ['dev'])).toBe(false);
    expect(labelsMatch([], [])).toBe(true);
  });
});

describe('child env', () => {
  const run = { id: 'run-1', version: 1, parameters: '{"a":1}', flow: { id: 'flow-1' } };
  const base = { agentVars: {}, runConfigEnv: {}, api: 'http://api', tenantId: 't1', labels: ['dev'], run, sendFlowRunLogs: true, importPaths: [] };
  it('layers agent env < --env < run config env < fixed block', () => {
    const env = buildChildEnv({
      ...base,
      agentEnv: { K: 'agent', L: 'agent', M: 'agent', PREFECT__CLOUD__API_KEY: 'leaked' },
      agentVars: { L: 'flag', M: 'flag' },
      runConfigEnv: { M: 'run', PREFECT__CONTEXT__FLOW_RUN_ID: 'spoof' },
    });
    expect(env).toEqual({
      K: 'agent', L: 'flag', M: 'run',
      PREFECT__BACKEND: 'server', PREFECT__CLOUD__API: 'http://api', PREFECT__CLOUD__TENANT_ID: 't1',
      PREFECT__CLOUD__AGENT__LABELS: '["dev"]', PREFECT__CONTEXT__FLOW_RUN_ID: 'run-1', PREFECT__CONTEXT__FLOW_ID: 'flow-1',
      PREFECT__CONTEXT__PARAMETERS: '{"a":1}',
    });
  });
  it('passes the key when one is used and turns child logs off with --no-cloud-logs', () => {
    const env = buildChildEnv({ ...base, agentEnv: {}, apiKey: 'k', sendFlowRunLogs: false, importPaths: ['/a', '/b'] });
    expect(env).toMatchObject({ PREFECT__CLOUD__API_KEY: 'k', PREFECT__CLOUD__SEND_FLOW_RUN_LOGS: 'false', NODE_PATH: '/a:/b' });
  });
});

describe('health', () => {
  it('is 503 before registration and after 3 failed polls, 200 otherwise', () => {
    const h = new HealthState();
    h.registrationFailed('ECONNREFUSED');
    expect(h.status()).toEqual({ healthy: false, reason: 'not registered with the API yet: ECONNREFUSED' });
    h.registered();
    expect(h.status()).toEqual({ healthy: true });
    h.pollFailed('boom');
    h.pollFailed('boom');
    expect(h.status().healthy).toBe(true);
    h.pollFailed('boom');
    expect(h.status()).toEqual({ healthy: false, reason: '3 consecutive polls failed: boom' });
    h.pollSucceeded();
    expect(h.status().healthy).toBe(true);
  });
  it('parses agent addresses: port required, empty host = all interfaces', () => {
    expect(parseAgentAddress('http://localhost:8080')).toEqual({ host: 'localhost', port: 8080 });
    expect(parseAgentAddress('http://:8080')).toEqual({ host: '', port: 8080 });
    expect(parseAgentAddress('http://0.0.0.0:9')).toEqual({ host: '0.0.0.0', port: 9 });
    expect(() => parseAgentAddress('http://localhost')).toThrow(/Must specify port in agent address/);
  });
});
