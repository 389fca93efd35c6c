import { killAll, loadAverage, printTable, writeResults, type ResultRow, type StoreKind } from '@prefect-ts/bench';
import { killAgent } from './scenarios/kill-agent';
import { partition } from './scenarios/partition';
import { racingAgents } from './scenarios/racing-agents';
import { serverRestart } from './scenarios/server-restart';
import { shutdown } from './scenarios/shutdown';
import { soak } from './scenarios/soak';
import type { ChaosScenario } from './scenarios/types';

export const SCENARIOS: ChaosScenario[] = [racingAgents, killAgent, serverRestart, partition, shutdown, soak];

export interface ChaosArgs {
  smoke: boolean;
  only?: string[];
  store: StoreKind;
  /** the soak's length (default 600 s; 10 s in smoke mode) */
  soakSeconds?: number;
}

export function parseArgs(argv: string[]): ChaosArgs {
  const args: ChaosArgs = { smoke: false, store: 'sqlite' };
  for (let i = 0; i < argv.length; i += 1) {
    const a = argv[i];
    if (a === '--smoke') args.smoke = true;
    else if (a === '--only') args.only = [...(args.only ?? []), ...argv[++i].split(',')];
    else if (a === '--store') args.store = argv[++i] as StoreKind;
    else if (a === '--soak-seconds') {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n < 10 || n > 7200) throw new Error(`--soak-seconds must be a whole number of seconds from 10 to 7200, got ${argv[i]}`);
      args.soakSeconds = n;
    } else throw new Error(`unknown argument ${a} (use --smoke, --only NAME[,NAME], --store sqlite|postgres, --soak-seconds N)`);
  }
  if (args.store !== 'sqlite' && args.store !== 'postgres') throw new Error('--store must be sqlite or postgres');
  for (const o of args.only ?? []) if (!SCENARIOS.some((s) => s.name === o)) throw new Error(`unknown scenario ${o}; one of ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return args;
}

/** Runs the selected scenarios; an error becomes a failed row and the next scenario still runs. */
export async function runChaos(args: ChaosArgs, log: (line: string) => void = (l) => process.stderr.write(`${l}\n`)): Promise<{ rows: ResultRow[]; errors: string[] }> {
  const rows: ResultRow[] = [];
  const errors: string[] = [];
  for (const scenario of SCENARIOS) {
    if (args.only && !args.only.includes(scenario.name)) continue;
    log(`== ${scenario.name}/${args.store} (load average ${loadAverage().join(' ')})`);
    try {
      rows.push(...(await scenario.run({ smoke: args.smoke, store: args.store, log, soakSeconds: args.soakSeconds })));
    } catch (error) {
      errors.push(`${scenario.name}: ${(error as Error).stack ?? error}`);
      rows.push({ scenario: `${scenario.name}/${args.store}`, metric: 'error', value: (error as Error).message.slice(0, 160), unit: '', met: false });
      killAll();
    }
  }
  return { rows, errors };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  // every scenario bounds itself; this is the backstop for the whole run (the soak + 15 min)
  const deadline = setTimeout(() => {
    process.stderr.write('chaos: over its time bound, stopping\n');
    killAll();
    process.exit(2);
  }, args.smoke ? 5 * 60_000 : ((args.soakSeconds ?? 600) + 15 * 60) * 1000);
  deadline.unref();
  const started = Date.now();
  const { rows, errors } = await runChaos(args);
  const file = writeResults('chaos', rows, { smoke: args.smoke, store: args.store, durationS: Math.round((Date.now() - started) / 1000) });
  printTable(rows);
  process.stdout.write(`\nwritten to ${file} (${Math.round((Date.now() - started) / 1000)} s)\n`);
  for (const e of errors) process.stderr.write(`${e}\n`);
  process.exit(errors.length || rows.some((r) => r.met === false) ? 1 : 0);
}

if (require.main === module) {
  for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => (killAll(), process.exit(130)));
  main().catch((error) => {
    killAll();
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exit(1);
  });
}
