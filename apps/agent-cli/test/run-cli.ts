import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** The real `prefect` binary (built dist), as a user runs it. */
export const BIN = join(__dirname, '..', 'bin', 'run.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  // Plain output, as when piped: Nx sets FORCE_COLOR for its tasks, which would win over NO_COLOR.
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
