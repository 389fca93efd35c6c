import { randomUUID } from 'node:crypto';
import { serializeState } from '../../states.js';
import type { Store } from '../store.js';

type Seed = (store: Store) => Promise<{ tenantId: string; flowId: string; scope: { tenantId: string } }>;
type It = (title: string, fn: () => Promise<void>) => void;

/** `report_flow_runs` (store/reports.ts): logs and many states in one transaction; part of the Store contract. */
export function reportsContract(it_: It, store: () => Store, seed: Seed): void {
  it_('reports logs and the states of several runs at once; a refused state fails alone', async () => {
    const { flowId, scope } = await seed(store());
    const [a, b, c] = [await store().createFlowRun({ flowId }, scope), await store().createFlowRun({ flowId }, scope), await store().createFlowRun({ flowId }, scope)];
    const ghost = randomUUID();
    const results = await store().reportFlowRuns(
      [
        { flowRunId: a.id, name: 'agent', level: 'INFO', message: 'a says hi' },
        { flowRunId: ghost, name: 'agent', level: 'INFO', message: 'nobody hears this' },
        { flowRunId: b.id, name: 'agent', level: 'ERROR', message: 'b says bye' },
      ],
      [
        { flowRunId: a.id, version: 1, state: serializeState('Running', 'go') },
        { flowRunId: b.id, version: 7, state: serializeState('Running', 'stale') },
        { flowRunId: ghost, version: 1, state: serializeState('Running', 'gone') },
        { flowRunId: c.id, version: 1, state: { type: 'Exploded' } as never },
        { flowRunId: a.id, version: 2, state: serializeState('Success', 'done') },
      ],
      scope,
    );
    expect(results.map((r) => [r.id, r.status, r.code])).toEqual([
      [a.id, 'SUCCESS', null], [b.id, 'FAILED', 'VERSION_LOCKING_ERROR'], [ghost, 'FAILED', 'NOT_FOUND'], [c.id, 'FAILED', 'BAD_USER_INPUT'], [a.id, 'SUCCESS', null],
    ]);
    expect(results[1].message).toContain('version mismatch (stored 1, given 7)');
    const runs = await store().select('flow_run', { orderBy: [{ created: 'asc' }] }, scope);
    expect(Object.fromEntries(runs.map((r) => [r.id, [r.state, r.version]]))).toEqual({ [a.id]: ['Success', 3], [b.id]: ['Scheduled', 1], [c.id]: ['Scheduled', 1] });
    expect(runs.find((r) => r.id === a.id)).toMatchObject({ start_time: expect.any(String), end_time: expect.any(String), state_message: 'done' });
    const logs = await store().select('log', { orderBy: [{ message: 'asc' }] }, scope);
    expect(logs.map((l) => [l.flow_run_id, l.message, l.level])).toEqual([[a.id, 'a says hi', 'INFO'], [b.id, 'b says bye', 'ERROR']]);
  });

  it_('writes nothing when the report fails as a whole', async () => {
    const { flowId, scope } = await seed(store());
    const { id } = await store().createFlowRun({ flowId }, scope);
    const other = await store().createFlowRun({ flowId }, scope);
    // the second state cannot be serialized: not a refusal, so the first must not stay applied
    await expect(store().reportFlowRuns(
      [{ flowRunId: id, name: 'agent', level: 'INFO', message: 'hi' }],
      [{ flowRunId: id, version: 1, state: serializeState('Running', 'go') }, { flowRunId: other.id, version: 1, state: { type: 'Running', big: 1n } as never }],
      scope,
    )).rejects.toThrow(/BigInt/);
    expect((await store().getById('flow_run', id, scope))).toMatchObject({ state: 'Scheduled', version: 1 });
    expect(await store().select('log', {}, scope)).toEqual([]);
  });

  it_('wakes claimers for a run put back to Scheduled', async () => {
    const { tenantId, flowId, scope } = await seed(store());
    const { id } = await store().createFlowRun({ flowId }, scope);
    await store().setFlowRunStates([{ flowRunId: id, version: 1, state: serializeState('Running', 'go') }], scope);
    const seen: (string | undefined)[] = [];
    const off = store().onRunsAvailable((t) => {
      if (t === tenantId) void store().getById('flow_run', id, scope).then((r) => seen.push(r?.state as string | undefined));
    });
    try {
      const [result] = await store().reportFlowRuns([], [{ flowRunId: id, version: 2, state: serializeState('Scheduled', 'again') }], scope);
      expect(result.status).toBe('SUCCESS');
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual(['Scheduled']);
    } finally {
      off();
    }
  });
}
