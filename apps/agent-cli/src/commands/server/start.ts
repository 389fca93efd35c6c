import { Flags } from '@oclif/core';
import { defaultDataDir } from '@prefect-ts/control-plane';
import { BaseCommand } from '../../base-command.js';
import type { ServerStartFlags } from '../../flags/server-argv.js';
import { serveUntilStopped, type ServerStartResult } from '../../server-start.js';

const storeFlags = {
  'data-dir': Flags.string({ description: 'Directory of the embedded SQLite store', defaultHelp: async () => defaultDataDir() }),
  'database-url': Flags.string({ description: 'Use PostgreSQL instead of the embedded store (postgres://user:pass@host/db)', env: 'PREFECT_SERVER_DATABASE_URL' }),
};

export default class ServerStart extends BaseCommand {
  static override summary = 'Run the GraphQL control plane in the foreground';
  static override description =
    'Serves Prefect 1’s GraphQL API (POST / and /graphql) plus the claim_flow_runs, agent_heartbeat and report_flow_runs extensions. The embedded SQLite store lives in ~/.prefect/server unless --data-dir or --database-url is given. Binding a non-loopback address needs --auth api-key or --insecure. A busy port exits with code 3. SIGINT or SIGTERM stops it cleanly (exit 0).';
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
    await serveUntilStopped(flags as ServerStartFlags, {
      log: (line) => this.log(line),
      logToStderr: (line) => this.logToStderr(line),
      json: this.jsonEnabled() ? (result) => this.logJson(result) : undefined,
    });
    return this.exit(0);
  }
}
