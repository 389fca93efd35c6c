import type { ReportResults, RunLogEntry, StateUpdate } from '../../src/control-plane/agent-api';
import { ControlPlaneError } from '../../src/errors';
import { createLogger } from '../../src/logging/logger';
import { RunReports } from '../../src/runs/run-reports';

const unreachable = () => new ControlPlaneError('Cannot reach the Prefect API at x: ECONNREFUSED', { code: 'API_UNREACHABLE' });
const conflict = () => new ControlPlaneError('State update failed: version mismatch', { code: 'API_ERROR', graphqlCode: 'VERSION_LOCKING_ERROR' });
const errors: string[] = [];
const logger = createLogger({ name: 'agent', level: 'DEBUG', sink: (level, line) => level === 'ERROR' && errors.push(line) });
const log = (i: number, run = 'r'): Omit<RunLogEntry, 'timestamp'> => ({ flow_run_id: run, name: 'n', level: 'INFO', message: `${i}` });
const state = (run: string, version = 1): StateUpdate => ({ flow_run_id: run, version, state: { type: 'Running' } });

/** A fake API (pure logic: what goes into which request) that records every request. */
function fakeApi(answer: (logs: RunLogEntry[], states: StateUpdate[]) => Promise<ReportResults> | ReportResults = (_l, s) => ({ states: s.map(() => undefined) })) {
  const requests: { logs: string[]; states: string[] }[] = [];
  return {
    requests,
    send: async (logs: RunLogEntry[], states: StateUpdate[]) => {
      requests.push({ logs: logs.map((l) => l.message), states: states.map((s) => s.flow_run_id) });
      return answer(logs, states);
    },
  };
}

function deferred(): { promise: Promise<void>; resolve(): void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('run reports (logs and states, one request at a time)', () => {
  beforeEach(() => errors.splice(0));

  it('sends logs in batches of at most maxLogs entries, all of them', async () => {
    const { send, requests } = fakeApi();
    const reports = new RunReports({ send, logger, maxLogs: 100 });
    for (let i = 0; i < 250; i += 1) reports.addLog(log(i));
    await reports.close(1000);
    expect(requests.map((r) => r.logs.length)).toEqual([100, 100, 50]);
    expect(requests.flatMap((r) => r.logs)).toEqual(Array.from({ length: 250 }, (_, i) => `${i}`));
  });

  it('caps the characters of log messages per request, but always sends at least one entry', async () => {
    const { send, requests } = fakeApi();
    const reports = new RunReports({ send, logger, maxLogChars: 10 });
    reports.addLog({ ...log(0), message: 'x'.repeat(25) });
    for (let i = 0; i < 4; i += 1) reports.addLog({ ...log(0), message: 'yyyy' });
    await reports.close(1000);
    expect(requests.map((r) => r.logs.length)).toEqual([1, 2, 2]);
  });

  it('sends a state only after every log added before it, in the same request or an earlier one', async () => {
    const { send, requests } = fakeApi();
    const reports = new RunReports({ send, logger, maxLogs: 100 });
    for (let i = 0; i < 250; i += 1) reports.addLog(log(i));
    await reports.setFlowRunStates([state('r')]);
    const withState = requests.findIndex((r) => r.states.includes('r'));
    expect(withState).toBe(2);
    expect(requests.slice(0, withState + 1).flatMap((r) => r.logs)).toHaveLength(250);
  });

  it('gathers the states queued while a request is under way into the next one', async () => {
    const gate = deferred();
    const { send, requests } = fakeApi(async (_l, s) => {
      if (requests.length === 1) await gate.promise;
      return { states: s.map(() => undefined) };
    });
    const reports = new RunReports({ send, logger, maxStates: 50 });
    const first = reports.setFlowRunStates([state('a')]);
    await new Promise((r) => setImmediate(r));
    expect(requests).toHaveLength(1);
    const rest = Array.from({ length: 60 }, (_, i) => reports.setFlowRunStates([state(`b${i}`)]));
    gate.resolve();
    await Promise.all([first, ...rest]);
    expect(requests.map((r) => r.states.length)).toEqual([1, 50, 10]);
  });

  it('fails only the state whose field failed', async () => {
    const { send } = fakeApi((_l, s) => ({ states: s.map((u) => (u.flow_run_id === 'stale' ? conflict() : undefined)) }));
    const reports = new RunReports({ send, logger });
    const outcomes = await Promise.allSettled([reports.setFlowRunStates([state('ok1')]), reports.setFlowRunStates([state('stale')]), reports.setFlowRunStates([state('ok2')])]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(((outcomes[1] as PromiseRejectedResult).reason as ControlPlaneError).graphqlCode).toBe('VERSION_LOCKING_ERROR');
  });

  it('drops logs that make a request fail as a whole, with an error, and still sends the states', async () => {
    const { send, requests } = fakeApi((l, s) => {
      if (l.some((e) => e.message === 'poison')) throw new ControlPlaneError('Request body is larger than 8388608 bytes', { code: 'API_ERROR', graphqlCode: 'PAYLOAD_TOO_LARGE' });
      return { states: s.map(() => undefined) };
    });
    const reports = new RunReports({ send, logger });
    reports.addLog({ ...log(0), message: 'poison' });
    await reports.setFlowRunStates([state('r')]);
    expect(requests).toEqual([{ logs: ['poison'], states: ['r'] }, { logs: [], states: ['r'] }]);
    expect(errors.join('\n')).toContain('Failed to write 1 run log(s): Request body is larger than 8388608 bytes');
  });

  it('while the API is away: rejects the states (their reporters retry), keeps at most maxPendingLogs logs, then says how many were dropped', async () => {
    let down = true;
    const received: RunLogEntry[] = [];
    const { send } = fakeApi((l, s) => {
      if (down) throw unreachable();
      received.push(...l);
      return { states: s.map(() => undefined) };
    });
    const reports = new RunReports({ send, logger, maxLogs: 10_000, maxPendingLogs: 100 });
    for (let i = 0; i < 1000; i += 1) reports.addLog(log(i));
    await expect(reports.setFlowRunStates([state('r')])).rejects.toMatchObject({ code: 'API_UNREACHABLE' });
    expect(reports.pendingLogs).toBeLessThanOrEqual(101);
    down = false;
    await reports.setFlowRunStates([state('r')]);
    expect(received[0]).toMatchObject({ level: 'WARNING', message: "900 log line(s) of this run were dropped: the agent's log buffer was full" });
    expect(received.slice(1).map((e) => e.message)).toEqual(Array.from({ length: 100 }, (_, i) => `${900 + i}`));
  });
});

describe('run reports pacing', () => {
  it('sends a lone state (and the one right after it) at once, and spaces requests by minGapMs in a stream', async () => {
    const starts: number[] = [];
    const { send, requests } = fakeApi(async (_l, s) => {
      starts.push(Date.now());
      await new Promise((r) => setTimeout(r, 2)); // the server's answer takes a moment
      return { states: s.map(() => undefined) };
    });
    const reports = new RunReports({ send, logger, minGapMs: 40 });
    const t0 = Date.now();
    await reports.setFlowRunStates([state('lone')]);
    expect(starts[0] - t0).toBeLessThan(30);
    await new Promise((r) => setTimeout(r, 60)); // quiet: the next one goes at once too
    const t1 = Date.now();
    await reports.setFlowRunStates([state('a')]);
    await reports.setFlowRunStates([state('a')]); // a short run's final state, right after: at once
    const burst: Promise<void>[] = [];
    for (let i = 0; i < 5; i += 1) burst.push(reports.setFlowRunStates([state(`b${i}`)])); // now a stream
    await Promise.all(burst);
    expect(starts[2] - t1).toBeLessThan(30);
    expect(starts[3] - starts[2]).toBeGreaterThanOrEqual(39);
    expect(requests.slice(1).map((r) => r.states.length)).toEqual([1, 1, 5]);
  });

  it('does not wait when a full request is queued', async () => {
    const starts: number[] = [];
    const { send } = fakeApi((_l, s) => {
      starts.push(Date.now());
      return { states: s.map(() => undefined) };
    });
    const reports = new RunReports({ send, logger, minGapMs: 1000, maxStates: 5 });
    await Promise.all(Array.from({ length: 15 }, (_, i) => reports.setFlowRunStates([state(`r${i}`)])));
    expect(starts).toHaveLength(3);
    expect(starts[2] - starts[0]).toBeLessThan(500);
  });
});
