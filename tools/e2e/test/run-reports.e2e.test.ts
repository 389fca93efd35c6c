import { AgentApi, GraphQLTransport } from '@prefect-ts/agent-core';
import { startAgent } from '../src/agent';
import { waitFor } from '../src/processes';
import type { StoreKind } from '../src/server';
import { storeSuite } from '../src/store-suite';

const running = (message: string) => ({ type: 'Running', message, __version__: '1.4.1' });

describe.each<StoreKind>(['sqlite', 'postgres'])('run reports: logs and states of many runs per request (%s store)', (kind) => {
  const s = storeSuite(kind);
  const { maybe } = s;

  it.each([
    ['report_flow_runs (one transaction)', (a: AgentApi) => a.reportFlowRuns.bind(a)],
    ['plain Prefect 1 mutations in one request', (a: AgentApi) => a.sendReports.bind(a)],
  ])('%s: writes the logs, applies the states, and a stale version fails only its own', async (_name, pick) => {
    if (!s.location) return;
    const send = pick(new AgentApi(new GraphQLTransport({ api: s.server.url })));
    const flow = await s.api.createFlow({ storage: { type: 'Command', argv: ['/bin/true'] } });
    const [a, b] = [await s.api.createRun(flow), await s.api.createRun(flow)];
    const results = await send(
      [{ flow_run_id: a, name: 'agent', level: 'INFO', message: 'a: last words', timestamp: new Date().toISOString() }],
      [{ flow_run_id: a, version: 1, state: running('go') }, { flow_run_id: b, version: 5, state: running('stale') }],
    );
    expect(results.logs).toBeUndefined();
    expect(results.states[0]).toBeUndefined();
    expect(results.states[1]).toMatchObject({ graphqlCode: 'VERSION_LOCKING_ERROR', message: expect.stringContaining('version mismatch') });
    expect(await s.api.run(a)).toMatchObject({ state: 'Running', version: 2 });
    expect(await s.api.run(b)).toMatchObject({ state: 'Scheduled', version: 1 });
    expect(await s.api.logs(a)).toEqual(['a: last words']);
  });

  maybe('under load, a run\'s last output is in its logs by the time its final state is recorded', async () => {
    const flow = await s.api.createFlow({ storage: { type: 'Command', argv: ['/bin/sh', '-c', 'echo first; echo "last line of $PREFECT__CONTEXT__FLOW_RUN_ID"'] } });
    const ids = new Set<string>();
    for (let i = 0; i < 150; i += 1) ids.add(await s.api.createRun(flow));
    s.agent = startAgent(s.server.url);
    const missing: string[] = [];
    const finished = new Set<string>();
    // state and logs read in one query: a finished run whose last line is not there yet fails
    await waitFor(async () => {
      const data = await s.api.gql(`query($f: UUID) { flow_run(where: { flow_id: { _eq: $f }, state: { _in: ["Success", "Failed"] } }) { id state logs { message } } }`, { f: flow });
      for (const run of data.flow_run as { id: string; state: string; logs: { message: string }[] }[]) {
        if (finished.has(run.id)) continue;
        finished.add(run.id);
        if (run.state !== 'Success' || !run.logs.some((l) => l.message === `last line of ${run.id}`)) missing.push(`${run.id} ${run.state} ${JSON.stringify(run.logs.map((l) => l.message))}`);
      }
      return finished.size === ids.size;
    }, 60_000, 'all runs finished');
    expect(missing).toEqual([]);
  }, 90_000);
});
