import { Flags } from '@oclif/core';
import { ConfigError } from '@prefect-ts/agent-core';
import { ControlPlaneConfigError, defaultDataDir, startControlPlane } from '@prefect-ts/control-plane';
import { BaseCommand } from '../../base-command.js';

const storeFlags = {
  'data-dir': Flags.string({ description: 'Directory of the embedded SQLite store', defaultHelp: async () => defaultDataDir() }),
  'database-url': Flags.string({ description: 'Use PostgreSQL instead of the embedded store (postgres://user:pass@host/db)', env: 'PREFECT_SERVER_DATABASE_URL' }),
};

/** Control-plane configuration problems (bad bind, busy port, unreachable database) exit 3. */
const toCliError = (err: unknown): unknown =>
  err instanceof ControlPlaneConfigError ? new ConfigError(err.message, { code: err.code, suggestions: err.suggestions, cause: err }) : err;

export interface ServerStartResult {
  url: string;
  store: string;
  location: string;
}

export default class ServerStart extends BaseCommand {
  static override summary = 'Run the GraphQL control plane in the foreground';
  static override description =
    'Serves Prefect 1’s GraphQL API (POST / and /graphql) plus the claim_flow_runs and agent_heartbeat extensions. The embedded SQLite store lives in ~/.prefect/server unless --data-dir or --database-url is given. Binding a non-loopback address needs --auth api-key or --insecure. A busy port exits with code 3. SIGINT or SIGTERM stops it cleanly (exit 0).';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --port 4300 --data-dir /var/lib/prefect',
    '<%= config.bin %> <%= command.id %> --host 0.0.0.0 --auth api-key --database-url postgres://prefect:secret@db/prefect',
  ];
  static override flags = {
    host: Flags.string({ description: 'Address to listen on', default: '127.0.0.1' }),
    port: Flags.integer({ description: 'Port to listen on', default: 4200, min: 0, max: 65535 }),
    ...storeFlags,
    auth: Flags.string({ description: 'Require API keys (api-key) or not (none)', options: ['none', 'api-key'], default: 'none' }),
    insecure: Flags.boolean({ description: 'Allow a non-loopback --host without --auth api-key', default: false }),
  };

  async run(): Promise<ServerStartResult> {
    const { flags } = await this.parse(ServerStart);
    const cp = await startControlPlane({
      host: flags.host, port: flags.port, dataDir: flags['data-dir'], databaseUrl: flags['database-url'],
      auth: flags.auth as 'none' | 'api-key', insecure: flags.insecure,
      log: (level, message) => (level === 'info' ? this.log(message) : this.logToStderr(`${level.toUpperCase()} ${message}`)),
    }).catch((err) => {
      throw toCliError(err);
    });
    const result = { url: cp.url, store: cp.store.kind, location: cp.store.location };
    if (this.jsonEnabled()) this.logJson(result);
    else this.log(`Prefect control plane listening on ${cp.url} (store: ${cp.store.kind} at ${cp.store.location}, auth: ${flags.auth})`);
    await new Promise<void>((resolve) => {
      const stop = (): void => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        if (!this.jsonEnabled()) this.log('Shutting down...');
        cp.close().then(resolve, resolve);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    return this.exit(0);
  }
}
