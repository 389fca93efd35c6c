import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CLI, median, nowMs, round, type ResultRow } from '../harness';
import type { BenchOptions, Scenario } from './types';

function wall(args: string[], times: number): number[] {
  const home = mkdtempSync(path.join(tmpdir(), 'bench-cli-home-'));
  const out: number[] = [];
  for (let i = 0; i < times + 1; i += 1) {
    const t0 = nowMs();
    const r = spawnSync(process.execPath, [CLI, ...args], { env: { PATH: process.env.PATH, HOME: home }, stdio: ['ignore', 'pipe', 'pipe'] });
    const dt = nowMs() - t0;
    if (r.status !== 0) throw new Error(`prefect ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    if (i > 0) out.push(dt); // the first one warms the page cache
  }
  return out;
}

/** Wall time of `prefect --help` and `prefect agent local install` (process spawn → exit). */
export const cliWall: Scenario = {
  name: 'cli',
  storeIndependent: true,
  async run({ smoke, log }: BenchOptions): Promise<ResultRow[]> {
    const times = smoke ? 2 : 10;
    const help = wall(['--help'], times);
    const install = wall(['agent', 'local', 'install', '--format', 'systemd', '--api', 'http://127.0.0.1:4200', '--label', 'bench'], times);
    const [h, i] = [median(help), median(install)];
    log(`CLI: --help ${round(h, 0)} ms, agent local install ${round(i, 0)} ms (medians of ${times})`);
    return [
      { scenario: 'cli', metric: '`prefect agent local install` wall time', value: round(i, 0), unit: 'ms', target: '≤ 400 ms', met: i <= 400, note: `median of ${times}, min ${round(Math.min(...install), 0)}` },
      { scenario: 'cli', metric: '`prefect --help` wall time', value: round(h, 0), unit: 'ms', note: `median of ${times}, min ${round(Math.min(...help), 0)}` },
    ];
  },
};
