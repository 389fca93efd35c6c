import { openStore } from '../store/open-store.js';
import { SWEEP_BATCH } from '../store/lease-sweep.js';
import { tempDir } from '../testing/temp-dir.js';
import { sweepUntilDone } from './lease-sweeper.js';

describe('lease sweeper (embedded store)', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());

  it('sweeps more expired leases than one batch in a single tick, logging each run once', async () => {
    const store = await openStore({ dataDir: tmp.dir });
    try {
      const tenantId = (await store.createTenant({ name: 't' })).id as string;
      const project = await store.createProject({ tenantId, name: 'p' });
      const flow = await store.createFlow({ tenantId, projectId: project.id, serializedFlow: { name: 'f' } });
      const agentId = (await store.registerAgent({ tenantId, type: 'LocalAgent' })).id;
      const total = 2 * SWEEP_BATCH + 5;
      for (let i = 0; i < total; i += 1) await store.createFlowRun({ flowId: flow.id }, { tenantId });
      expect(await store.claimFlowRuns({ tenantId, agentId, labels: [], limit: total, leaseSeconds: 0 })).toHaveLength(total);
      await new Promise((r) => setTimeout(r, 5));
      const lines: string[] = [];
      const swept = await sweepUntilDone({ store, maxAttempts: 3, log: (_level, message) => lines.push(message) });
      expect(swept).toBe(total);
      expect(new Set(lines).size).toBe(total);
      expect(lines[0]).toMatch(/lost its agent's lease \(attempt 1\): rescheduled$/);
      expect(await sweepUntilDone({ store, maxAttempts: 3, log: () => undefined })).toBe(0);
    } finally {
      await store.close();
    }
  });
});
