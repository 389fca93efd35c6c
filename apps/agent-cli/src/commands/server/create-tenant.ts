import { Flags } from '@oclif/core';
import { ConfigError } from '@prefect-ts/agent-core';
import { ControlPlaneConfigError, defaultDataDir, createTenant } from '@prefect-ts/control-plane';
import { BaseCommand } from '../../base-command.js';

const storeFlags = {
  'data-dir': Flags.string({ description: 'Directory of the embedded SQLite store', defaultHelp: async () => defaultDataDir() }),
  'database-url': Flags.string({ description: 'Use PostgreSQL instead of the embedded store (postgres://user:pass@host/db)', env: 'PREFECT_SERVER_DATABASE_URL' }),
};

/** Control-plane configuration problems (bad bind, busy port, unreachable database) exit 3. */
const toCliError = (err: unknown): unknown =>
  err instanceof ControlPlaneConfigError ? new ConfigError(err.message, { code: err.code, suggestions: err.suggestions, cause: err }) : err;

export interface CreateTenantResult {
  id: string;
  name: string;
  slug: string;
}

export default class ServerCreateTenant extends BaseCommand {
  static override summary = 'Create a tenant in the control plane store';
  static override description = 'Writes directly to the store the server uses (same --data-dir or --database-url); the server need not run.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --name team-a',
    '<%= config.bin %> <%= command.id %> --name "Team B" --slug team-b --database-url postgres://prefect:secret@db/prefect',
  ];
  static override flags = {
    name: Flags.string({ char: 'n', description: 'Tenant name', required: true }),
    slug: Flags.string({ char: 's', description: 'URL-safe slug (default: derived from the name)' }),
    ...storeFlags,
  };

  async run(): Promise<CreateTenantResult> {
    const { flags } = await this.parse(ServerCreateTenant);
    const tenant = await createTenant({ name: flags.name, slug: flags.slug, dataDir: flags['data-dir'], databaseUrl: flags['database-url'] })
      .catch((err) => {
        throw toCliError(err);
      });
    this.log(`Tenant created: ${tenant.name} (slug ${tenant.slug}, id ${tenant.id})`);
    return tenant;
  }
}
