import type { FlowRunInfo } from '@prefect-ts/agent-core';
import { formatWatchEvent } from '../../src/commands/run';
import { runCli } from '../run-cli';

// Nothing listens here: every case must fail on its input before any request is made.
const NO_API = ['--api', 'http://127.0.0.1:9'];
const run = { id: 'r', name: 'hello-1', state: 'Running' } as FlowRunInfo;

describe('formatWatchEvent', () => {
  const at = '2030-01-01T12:34:56.000Z';
  const time = new Date(at).toLocaleTimeString('en-GB', { hour12: false });
  it('aligns state changes and log lines in the same columns', () => {
    const prev = { NO_COLOR: process.env.NO_COLOR, FORCE_COLOR: process.env.FORCE_COLOR };
    process.env.NO_COLOR = '1';
    delete process.env.FORCE_COLOR; // Nx sets it for its tasks; it would win over NO_COLOR
    try {
      expect(formatWatchEvent({ type: 'state', state: 'Running', message: 'Started', timestamp: at, run })).toBe(`${time}  Running      Started`);
      expect(formatWatchEvent({ type: 'log', log: { id: 'l', flow_run_id: 'r', timestamp: at, level: 'INFO', name: null, message: 'Hello' } })).toBe(`${time}  INFO         Hello`);
      expect(formatWatchEvent({ type: 'finished', run, success: true })).toBeUndefined();
    } finally {
      for (const [name, value] of Object.entries(prev)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('prefect run: input errors exit 2 before contacting the API', () => {
  it.each([
    [['--name', 'x', '--param', 'novalue'], /expected KEY=VALUE/],
    [['--name', 'x', '--params', '[1]'], /must be a JSON object/],
    [['--name', 'x', '--start-in', 'soon'], /Invalid duration "soon"/],
    [['--name', 'x', '--start-at', 'tomorrow'], /not an ISO-8601 date-time/],
    [['--param', 'a=1'], /Name the flow to run/],
  ])('%j', (args, message) => {
    const r = runCli(['run', ...args, ...NO_API]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });

  it('--start-in and --start-at together are refused by the parser', () => {
    expect(runCli(['run', '--name', 'x', '--start-in', '1m', '--start-at', '2030-01-01T00:00:00Z', ...NO_API]).status).toBe(2);
  });

  it('an unreachable API exits 4', () => {
    const r = runCli(['run', '--name', 'x', ...NO_API]);
    expect(r.status).toBe(4);
    expect(r.stderr).toContain('Cannot reach the Prefect API');
  });
});
