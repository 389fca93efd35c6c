import { killAll, loadAverage, printTable, writeResults, type ResultRow, type StoreKind } from './harness';
import { agentStartUp } from './scenarios/agent-start-up';
import { cliWall } from './scenarios/cli-wall';
import { dispatchLatency } from './scenarios/dispatch-latency';
import { idleAgent } from './scenarios/idle-agent';
import { launchRate } from './scenarios/launch-rate';
import { queueScale } from './scenarios/queue-scale';
import { schedulePunctuality } from './scenarios/schedule-punctuality';
import type { Scenario } from './scenarios/types';

export const SCENARIOS: Scenario[] = [cliWall, agentStartUp, dispatchLatency, schedulePunctuality, launchRate, queueScale, idleAgent];

export interface BenchArgs {
  smoke: boolean;
  only?: string[];
  stores: StoreKind[];
}

export function parseArgs(argv: string[]): BenchArgs {
  const args: BenchArgs = { smoke: false, stores: ['sqlite', 'postgres'] };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--smoke') args.smoke = true;
    else if (a === '--only') args.only = [...(args.only ?? []), ...argv[++i].split(',')];
    else if (a === '--store') args.stores = argv[++i].split(',') as StoreKind[];
    else throw new Error(`unknown argument ${a} (use --smoke, --only NAME[,NAME], --store sqlite|postgres)`);
  }
  for (const s of args.stores) if (s !== 'sqlite' && s !== 'postgres') throw new Error(`--store must be sqlite or postgres, not ${s}`);
  for (const o of args.only ?? []) if (!SCENARIOS.some((s) => s.name === o)) throw new Error(`unknown scenario ${o}; one of ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return args;
}

/** Runs the selected scenarios; a failing scenario is reported as a row and does not stop the others. */
export async function runBench(args: BenchArgs, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<{ rows: ResultRow[]; errors: string[] }> {
  const rows: ResultRow[] = [];
  const errors: string[] = [];
  for (const scenario of SCENARIOS) {
    if (args.only && !args.only.includes(scenario.name)) continue;
    for (const store of scenario.storeIndependent ? (['sqlite'] as StoreKind[]) : args.stores) {
      const label = scenario.storeIndependent ? scenario.name : `${scenario.name}/${store}`;
      log(`== ${label} (load average ${loadAverage().join(' ')})`);
      try {
        rows.push(...(await scenario.run({ smoke: args.smoke, store, log })));
      } catch (error) {
        errors.push(`${label}: ${(error as Error).stack ?? error}`);
        rows.push({ scenario: label, metric: 'error', value: (error as Error).message.slice(0, 120), unit: '', met: false });
        killAll();
      }
    }
  }
  return { rows, errors };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const deadline = setTimeout(() => {
    process.stderr.write('bench: over the 10-minute bound, stopping\n');
    killAll();
    process.exit(2);
  }, 10 * 60_000);
  deadline.unref();
  const started = Date.now();
  const { rows, errors } = await runBench(args);
  const file = writeResults('bench', rows, { smoke: args.smoke, durationS: Math.round((Date.now() - started) / 1000) });
  printTable(rows);
  process.stdout.write(`\nwritten to ${file} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  for (const e of errors) process.stderr.write(`${e}\n`);
  process.exit(errors.length ? 1 : 0);
}

if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => (killAll(), process.exit(130)));
  main().catch((error) => {
    killAll();
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
