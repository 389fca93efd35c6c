import { Flags } from '@oclif/core';
import { ConfigError } from '@prefect-ts/agent-core';
import { ControlPlaneConfigError, defaultDataDir, createApiKey } from '@prefect-ts/control-plane';
import { BaseCommand } from '../../base-command.js';

const storeFlags = {
  'data-dir': Flags.string({ description: 'Directory of the embedded SQLite store', defaultHelp: async () => defaultDataDir() }),
  'database-url': Flags.string({ description: 'Use PostgreSQL instead of the embedded store (postgres://user:pass@host/db)', env: 'PREFECT_SERVER_DATABASE_URL' }),
};

/** Control-plane configuration problems (bad bind, busy port, unreachable database) exit 3. */
const toCliError = (err: unknown): unknown =>
  err instanceof ControlPlaneConfigError ? new ConfigError(err.message, { code: err.code, suggestions: err.suggestions, cause: err }) : err;

export interface CreateApiKeyResult {
  id: string;
  key: string;
  tenantId: string;
}

export default class ServerCreateApiKey extends BaseCommand {
  static override summary = 'Create an API key for a tenant (shown once)';
  static override description =
    'Keys are random, belong to one tenant, and are stored only as a SHA-256 hash: copy the key now, it cannot be shown again. Use it with `prefect agent local start --key` against a server started with --auth api-key.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --tenant team-a',
    '<%= config.bin %> <%= command.id %> --tenant team-a --name ci-agent --json',
  ];
  static override flags = {
    tenant: Flags.string({ char: 't', description: 'Tenant id, slug or name', required: true }),
    name: Flags.string({ char: 'n', description: 'A label for the key' }),
    ...storeFlags,
  };

  async run(): Promise<CreateApiKeyResult> {
    const { flags } = await this.parse(ServerCreateApiKey);
    const result = await createApiKey({ tenant: flags.tenant, name: flags.name, dataDir: flags['data-dir'], databaseUrl: flags['database-url'] })
      .catch((err) => {
        throw toCliError(err);
      });
    if (!this.jsonEnabled()) {
      this.log(result.key);
      this.logToStderr(`API key ${result.id} created for tenant ${result.tenantId}. It is shown only once.`);
    }
    return result;
  }
}
