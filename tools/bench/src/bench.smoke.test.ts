import { killAll, type ResultRow } from './harness';
import { SCENARIOS } from './main';

/**
 * Smoke versions of the benchmarks (small N, short durations) so they cannot rot. They check that
 * each scenario runs to the end and measures something; speed targets are judged only by
 * `npm run bench`, never here.
 */
const log = (): void => undefined;
afterAll(() => killAll());

describe.each(SCENARIOS.map((s) => [s.name, s] as const))('bench %s (smoke, embedded store)', (_name, scenario) => {
  it('runs and reports finite measurements', async () => {
    const rows: ResultRow[] = await scenario.run({ smoke: true, store: 'sqlite', log });
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.metric === 'error')).toEqual([]);
    for (const r of rows) if (typeof r.value === 'number') expect(Number.isFinite(r.value)).toBe(true);
    if (scenario.name === 'launch-rate') {
      expect(rows[0].note).toMatch(/n=100, 100 Success/);
      // the preloaded stamps and histograms worked: every exit seen, both loop delays written
      expect(rows.find((r) => r.metric.startsWith('child exit'))?.note).toMatch(/^n=100;/);
      expect(rows.filter((r) => /event-loop delay/.test(r.metric)).map((r) => typeof r.value)).toEqual(['number', 'number']);
    }
  });
});
