import { embeddedControlPlane } from '../testing/embedded-control-plane.js';
import { CREATE_FLOW_RUN, gqlOk, seedFlow } from '../testing/gql.js';

describe('nested object relations are read in one query per request', () => {
  const plane = embeddedControlPlane();

  it('resolves the flow of 12 runs of two flows with one flow query', async () => {
    const { cp } = plane;
    const flows = [await seedFlow(cp.url), await seedFlow(cp.url)];
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) ids.push((await gqlOk(cp.url, CREATE_FLOW_RUN, { input: { flow_id: flows[i % 2] } })).create_flow_run.id);
    const select = jest.spyOn(cp.store, 'select');
    const getById = jest.spyOn(cp.store, 'getById');
    try {
      const data = await gqlOk(cp.url, `query($ids: [UUID!]) { flow_run(where: { id: { _in: $ids } }) { id flow_id flow { id name } } }`, { ids });
      expect(data.flow_run).toHaveLength(12);
      for (const run of data.flow_run) expect(run.flow).toEqual({ id: run.flow_id, name: expect.any(String) });
      const flowReads = [...select.mock.calls, ...getById.mock.calls].filter(([table]) => table === 'flow');
      expect(flowReads).toHaveLength(1);
    } finally {
      select.mockRestore();
      getById.mockRestore();
    }
  });

  it('answers null for a key that matches no row', async () => {
    const { cp } = plane;
    const data = await gqlOk(cp.url, `query { flow_run(limit: 1) { id agent { id } } }`);
    expect(data.flow_run[0].agent).toBeNull();
  });
});
