import { killAll } from '@prefect-ts/bench';
import { SCENARIOS } from './main';

/**
 * Smoke versions of the fault-injection scenarios against real server and CLI agent processes:
 * zero duplicates, zero lost runs, recovery happened, no overlapping executions, drain and force.
 * Every correctness row must be met (rows without a target, e.g. RSS drift, only inform).
 */
const log = (): void => undefined;
afterAll(() => killAll());

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('chaos %s (smoke)', (_name, scenario) => {
  it('meets every correctness check', async () => {
    const rows = await scenario.run({ smoke: true, store: 'sqlite', log });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.met === false)).toEqual([]);
  });
});
