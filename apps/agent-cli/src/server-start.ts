import { ConfigError } from '@prefect-ts/agent-core/core';
import { ControlPlaneConfigError, startControlPlane } from '@prefect-ts/control-plane';
import { parseServerArgv, type ServerStartFlags } from './flags/server-argv.js';
import { reportFatal } from './report-fatal.js';

// `prefect server start` loads no oclif when its command line is plain (bin/run.js tries
// `fastServerStart` first, see flags/server-argv.ts); commands/server/start.ts runs the same
// `serveUntilStopped` for every other line.

export interface ServerStartResult {
  url: string;
  store: string;
  location: string;
}

export interface ServerIo {
  log(line: string): void;
  logToStderr(line: string): void;
  /** Set with `--json`: prints the result instead of the human line. */
  json?: (result: ServerStartResult) => void;
}

/** Control-plane configuration problems (bad bind, busy port, unreachable database) exit 3. */
const toCliError = (err: unknown): unknown =>
  err instanceof ControlPlaneConfigError ? new ConfigError(err.message, { code: err.code, suggestions: err.suggestions, cause: err }) : err;

/** Starts the control plane and serves until SIGINT or SIGTERM, then closes it cleanly. */
export async function serveUntilStopped(flags: ServerStartFlags, io: ServerIo): Promise<ServerStartResult> {
  const cp = await startControlPlane({
    host: flags.host, port: flags.port, dataDir: flags['data-dir'], databaseUrl: flags['database-url'],
    auth: flags.auth, insecure: flags.insecure,
    log: (level, message) => (level === 'info' ? io.log(message) : io.logToStderr(`${level.toUpperCase()} ${message}`)),
  }).catch((err) => {
    throw toCliError(err);
  });
  const result = { url: cp.url, store: cp.store.kind, location: cp.store.location };
  if (io.json) io.json(result);
  else io.log(`Prefect control plane listening on ${cp.url} (store: ${cp.store.kind} at ${cp.store.location}, auth: ${flags.auth})`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (!io.json) io.log('Shutting down...');
      cp.close().then(resolve, resolve);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  return result;
}

/**
 * Runs `server start <argv>` without oclif when the line is plain; resolves false (having done
 * nothing) when oclif must parse it. Errors are printed by oclif, as BaseCommand prints them.
 */
export async function fastServerStart(argv: readonly string[]): Promise<boolean> {
  const flags = parseServerArgv(argv);
  if (!flags) return false;
  try {
    // console.log/error are what oclif's Command.log/logToStderr end in
    await serveUntilStopped(flags, { log: (line) => console.log(line), logToStderr: (line) => console.error(line) });
    process.exit(0);
  } catch (error) {
    await reportFatal(error);
  }
  return true;
}
