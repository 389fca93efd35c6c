import { runCli } from '../run-cli';

describe('prefect get / create / cancel / execute / dev: help and argument checks', () => {
  it.each([
    ['create project', /Create a project to register flows in/],
    ['register', /Register flow specs/],
    ['run', /Create a flow run/],
    ['get projects', /List projects/],
    ['get flows', /List registered flows/],
    ['get flow-runs', /List flow runs/],
    ['get logs', /Show a flow run's logs/],
    ['cancel flow-run', /Cancel a flow run/],
    ['execute flow-run', /Execute a flow run/],
    ['dev', /Start the control plane, a local agent/],
  ])('prefect %s --help', (command, summary) => {
    const r = runCli([...command.split(' '), '--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(summary);
    if (command !== 'dev') expect(r.stdout).toMatch(/-a, --api/);
  });

  it('get logs needs exactly one of --id and --name', () => {
    expect(runCli(['get', 'logs', '--api', 'http://127.0.0.1:9']).status).toBe(2);
  });

  it('cancel flow-run needs an id; create project needs a name', () => {
    expect(runCli(['cancel', 'flow-run', '--api', 'http://127.0.0.1:9']).status).toBe(2);
    expect(runCli(['create', 'project', '--api', 'http://127.0.0.1:9']).status).toBe(2);
  });

  it('execute flow-run without a run id exits 2', () => {
    const r = runCli(['execute', 'flow-run', '--api', 'http://127.0.0.1:9'], { PREFECT__CONTEXT__FLOW_RUN_ID: '' });
    expect(r.status).toBe(2);
  });
});
