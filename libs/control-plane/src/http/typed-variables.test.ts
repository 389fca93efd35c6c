import type { ControlPlane } from '../server.js';
import { embeddedControlPlane } from '../testing/embedded-control-plane.js';
import { gqlOk, seedFlow, CREATE_FLOW_RUN } from '../testing/gql.js';

// Regression: with graphql-jit on, the second execution of a query whose variable has a
// recursive input type (flow_run_bool_exp) compiled for over 20 s and stalled the server.
describe('queries with variables of recursive input types', () => {
  const plane = embeddedControlPlane();
  let cp: ControlPlane;
  beforeAll(async () => {
    cp = plane.cp;
    const flowId = await seedFlow(cp.url);
    await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flowId, flow_run_name: 'typed' } });
  });

  it('answers the same typed-variable query repeatedly, each time within a few seconds', async () => {
    const query = 'query($w: flow_run_bool_exp, $o: [flow_run_order_by!]) { flow_run(where: $w, order_by: $o) { name state } }';
    for (const state of ['Scheduled', 'Running', 'Scheduled', 'Running']) {
      const signal = AbortSignal.timeout(5000);
      const res = await fetch(`${cp.url}/graphql`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: { w: { state: { _eq: state }, _or: [{ name: { _eq: 'typed' } }] }, o: [{ created: 'desc' }] } }),
      });
      const body = (await res.json()) as { data: { flow_run: { name: string }[] } };
      expect(body.data.flow_run.map((r) => r.name)).toEqual(state === 'Scheduled' ? ['typed'] : []);
    }
  });
});
