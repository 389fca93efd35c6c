import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FlowInfo, FlowRunInfo, LogEntry, ProjectInfo, RegisterFlowResult } from '@prefect-ts/agent-core';
import type { ControlPlane } from '@prefect-ts/control-plane';
import { CLI, startAgent, type RunningAgent } from './agent';
import { REPO_ROOT } from './processes';
import { startServer, storeLocation, type StoreLocation } from './server';

// register → run --watch → Success/Failed, idempotent registration and the --json shapes of the
// flow commands: the built CLI (`nx run-many -t build`) as real child processes, against a real
// control plane (SQLite in a tmp dir) and a real unlabeled LocalAgent.
const built = existsSync(CLI) && existsSync(path.join(REPO_ROOT, 'apps/agent-cli/dist/commands/register.js'));
const EXAMPLES = path.join(REPO_ROOT, 'examples');
/** An empty home: no ~/.prefect/config.toml of the machine running the tests applies. */
const HOME = mkdtempSync(path.join(tmpdir(), 'flows-cli-home-'));

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `prefect ...` asynchronously (the agent in this process must keep running meanwhile). */
function prefect(api: string, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args, '--api', api], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH, HOME, NO_COLOR: '1' },
      timeout: 45_000,
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

interface Registered { project: string; registered: number; skipped: number; flows: (RegisterFlowResult & { file: string })[] }
interface Ran { flow_run: FlowRunInfo; logs: LogEntry[] }

const json = <T = Record<string, unknown>>(r: CliResult): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
};

/** oclif wraps error messages at the terminal width (80 when piped): join the lines again. */
const unwrap = (text: string): string => text.replace(/\s*\n\s*›\s*/g, ' ').replace(/·/g, '');

const ISO = expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/);
const UUID = expect.stringMatching(/^[0-9a-f-]{36}$/);

(built ? describe : describe.skip)('flow commands (real CLI, control plane and agent)', () => {
  let location: StoreLocation;
  let server: ControlPlane;
  let agent: RunningAgent;
  let api: string;
  let scratch: string;
  const run = (...args: string[]) => prefect(api, ...args);

  beforeAll(async () => {
    location = await storeLocation('sqlite');
    server = await startServer(location);
    api = server.url;
    agent = startAgent(api);
    scratch = mkdtempSync(path.join(tmpdir(), 'flows-cli-'));
  });
  afterAll(async () => {
    await agent?.stop(false);
    await server?.close();
    await location?.dispose();
    rmSync(scratch, { recursive: true, force: true });
    rmSync(HOME, { recursive: true, force: true });
  });

  it('creates a project once; a taken name exits 2 unless --skip-if-exists', async () => {
    const created = await run('create', 'project', 'examples', '--description', 'Example flows', '--json');
    expect(created.code).toBe(0);
    expect(json(created)).toEqual({ id: UUID, name: 'examples', description: 'Example flows', created: ISO, created_now: true });
    const again = await run('create', 'project', 'examples');
    expect(again.code).toBe(2);
    expect(unwrap(again.stderr)).toContain('A project named "examples" already exists');
    const skipped = await run('create', 'project', 'examples', '--skip-if-exists', '--json');
    expect(skipped.code).toBe(0);
    expect(json(skipped)).toMatchObject({ id: json(created).id, created_now: false });
  });

  it('registers the examples, and re-registering unchanged specs keeps every version', async () => {
    const first = await run('register', '--project', 'examples', '--path', EXAMPLES, '--json');
    expect(first.code).toBe(0);
    const result = json<Registered>(first);
    expect(result).toMatchObject({ project: 'examples', registered: 3, skipped: 0 });
    expect(result.flows.map((f) => [f.name, f.status, f.version])).toEqual([['etl', 'created', 1], ['fail', 'created', 1], ['hello', 'created', 1]]);
    expect(result.flows[0]).toEqual({
      id: UUID, name: 'etl', project: 'examples', version: 1, version_group_id: expect.any(String), status: 'created',
      idempotency_key: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), file: expect.stringContaining('etl.flow.json'),
    });
    const second = await run('register', '--project', 'examples', '--path', EXAMPLES);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Registering 'hello'... Skipped (metadata unchanged)");
    expect(second.stdout).toContain('0 registered, 3 skipped');
    const again = json<Registered>(await run('register', '--project', 'examples', '--path', EXAMPLES, '--json'));
    expect(again.flows.map((f) => [f.id, f.status, f.version])).toEqual(result.flows.map((f) => [f.id, 'unchanged', 1]));
  });

  it('a changed spec becomes the next version of the same version group', async () => {
    await run('create', 'project', 'versions');
    const file = path.join(scratch, 'v.yaml');
    writeFileSync(file, 'name: versioned\nstorage: {type: Command, argv: [node, -e, "console.log(1)"]}\n');
    const v1 = json<Registered>(await run('register', '--project', 'versions', '--path', file, '--json')).flows[0];
    writeFileSync(file, 'name: versioned\nstorage: {type: Command, argv: [node, -e, "console.log(2)"]}\n');
    const v2 = json<Registered>(await run('register', '--project', 'versions', '--path', file, '--json')).flows[0];
    expect(v2).toMatchObject({ status: 'new-version', version: 2, version_group_id: v1.version_group_id });
    expect(v2.id).not.toBe(v1.id);
    const all = json<{ flows: FlowInfo[] }>(await run('get', 'flows', '--project', 'versions', '--all-versions', '--json'));
    expect(all.flows.map((f) => [f.version, f.archived])).toEqual([[2, false], [1, true]]);
    const newest = json<{ flows: FlowInfo[] }>(await run('get', 'flows', '--project', 'versions', '--json'));
    expect(newest.flows.map((f) => f.id)).toEqual([v2.id]);
  });

  it('an invalid spec exits 2 naming the file, the line and the field', async () => {
    const file = path.join(scratch, 'bad.yaml');
    writeFileSync(file, 'name: bad\nstorage:\n  type: Command\n  argv: [node, 42]\n');
    const r = await run('register', '--project', 'examples', '--path', file);
    expect(r.code).toBe(2);
    expect(unwrap(r.stderr)).toMatch(/bad\.yaml:4:16: storage\.argv\[1\]: must be a non-empty string, got number 42/);
  });

  it('run --watch streams states and output and exits 0 on Success', async () => {
    const r = await run('run', '--name', 'hello', '--project', 'examples', '--watch');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("Created flow run 'hello-");
    expect(r.stdout).toMatch(/INFO\s+Hello from prefect-ts/);
    expect(r.stdout).toMatch(/Success\s+Flow run process exited with code 0/);
    expect(r.stdout).toMatch(/finished in state Success\.$/m);
  });

  it('run --watch of a failing flow shows its output and exits 7 with the failure message', async () => {
    const r = await run('run', '--name', 'fail', '--project', 'examples', '--watch');
    expect(r.code).toBe(7);
    expect(r.stdout).toContain('Checking inputs...');
    expect(r.stdout).toContain('Something went wrong: input file missing');
    expect(r.stdout).toMatch(/Failed\s+.*code 3/);
    expect(unwrap(r.stderr)).toMatch(/finished in state Failed: .*code 3/);
  });

  it('passes --param values (JSON-typed) to a Module flow, and --watch --json returns the run and its logs', async () => {
    const r = await run('run', '--name', 'etl', '--project', 'examples', '--param', 'day=2024-01-01', '--param', 'rows=5', '--watch', '--json');
    expect(r.code).toBe(0);
    const result = json<Ran>(r);
    expect(result.flow_run).toEqual({
      id: UUID, name: expect.stringMatching(/^etl-/), flow_id: UUID, flow_name: 'etl', project: 'examples', state: 'Success',
      state_message: expect.any(String), labels: [], parameters: { day: '2024-01-01', rows: 5 }, scheduled_start_time: ISO,
      start_time: ISO, end_time: ISO, created: ISO, version: expect.any(Number), agent_id: UUID,
    });
    expect(result.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['Extracting 5 rows for 2024-01-01...', 'Loaded 5 rows, total 150']));
    expect(result.logs[0]).toEqual({ id: UUID, flow_run_id: result.flow_run.id, timestamp: ISO, level: expect.any(String), name: expect.anything(), message: expect.any(String) });
  });

  it('refuses unknown parameters and bad durations before creating anything (exit 2)', async () => {
    const unknown = await run('run', '--name', 'etl', '--project', 'examples', '--param', 'nope=1');
    expect(unknown.code).toBe(2);
    expect(unwrap(unknown.stderr)).toContain('unknown parameter "nope"');
    const duration = await run('run', '--name', 'etl', '--project', 'examples', '--start-in', 'soon');
    expect(duration.code).toBe(2);
    const missing = await run('run', '--name', 'nosuchflow', '--project', 'examples');
    expect(missing.code).toBe(2);
    expect(unwrap(missing.stderr)).toContain('No flow named "nosuchflow"');
  });

  it('schedules with --start-in and --label, and cancel flow-run cancels it', async () => {
    const created = json<Ran>(await run('run', '--name', 'hello', '--project', 'examples', '--start-in', '1h', '--label', 'later', '--run-name', 'later-hello', '--json'));
    expect(created.flow_run).toMatchObject({ name: 'later-hello', state: 'Scheduled', labels: ['later'] });
    expect(Date.parse(created.flow_run.scheduled_start_time ?? "") - Date.now()).toBeGreaterThan(50 * 60_000);
    const cancelled = await run('cancel', 'flow-run', created.flow_run.id, '--json');
    expect(cancelled.code).toBe(0);
    expect(json(cancelled)).toEqual({ id: created.flow_run.id, state: 'Cancelled' });
    const runs = json<{ flow_runs: FlowRunInfo[] }>(await run('get', 'flow-runs', '--state', 'Cancelled', '--json'));
    expect(runs.flow_runs.map((r) => r.id)).toEqual([created.flow_run.id]);
    const unknown = await run('cancel', 'flow-run', '00000000-0000-0000-0000-000000000000');
    expect(unknown.code).toBe(2);
  });

  it('get projects | flows | flow-runs | logs: tables, and --json shapes', async () => {
    const projects = json<{ projects: (ProjectInfo & { flow_count: number })[] }>(await run('get', 'projects', '--json'));
    expect(projects.projects).toEqual([
      { id: UUID, name: 'examples', description: 'Example flows', created: ISO, flow_count: 3 },
      { id: UUID, name: 'versions', description: null, created: ISO, flow_count: 1 },
    ]);
    const flows = json<{ flows: FlowInfo[] }>(await run('get', 'flows', '--project', 'examples', '--json'));
    expect(flows.flows.map((f) => [f.name, f.storage_type])).toEqual([['etl', 'Module'], ['fail', 'Command'], ['hello', 'Command']]);
    expect(flows.flows[0]).toEqual({
      id: UUID, name: 'etl', version: 1, version_group_id: expect.any(String), project_id: UUID, project: 'examples', archived: false,
      created: ISO, storage_type: 'Module', parameters: [{ name: 'day', default: null, required: false }, { name: 'rows', default: 3, required: false }], labels: [],
    });
    const runs = json<{ flow_runs: FlowRunInfo[] }>(await run('get', 'flow-runs', '--flow', 'hello', '--project', 'examples', '--limit', '1', '--json'));
    expect(runs.flow_runs).toHaveLength(1);
    const failed = json<{ flow_runs: FlowRunInfo[] }>(await run('get', 'flow-runs', '--state', 'Failed', '--json')).flow_runs[0];
    expect(failed).toMatchObject({ flow_name: 'fail', state: 'Failed' });
    const logs = json<{ logs: LogEntry[] }>(await run('get', 'logs', '--id', failed.id, '--json'));
    expect(logs.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['Checking inputs...', 'Something went wrong: input file missing']));
    const byName = json<{ logs: LogEntry[] }>(await run('get', 'logs', '--name', failed.name, '--json'));
    expect(byName.logs).toEqual(logs.logs);
    const table = await run('get', 'flow-runs');
    expect(table.code).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^NAME\s+FLOW NAME\s+STATE\s+AGE\s+START TIME\s+DURATION\s+ID$/);
    expect(table.stdout).toMatch(/fail-\w+\s+fail\s+Failed/);
  });
});
