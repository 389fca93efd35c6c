import type { LocalAgentResult } from '@prefect-ts/agent-core/agent';
import { runLocalAgent } from '../../../agent-start.js';
import { BaseCommand } from '../../../base-command.js';
import { agentStartFlags, toStartFlags } from '../../../flags/agent-flags.js';

export default class LocalStart extends BaseCommand {
  static override summary = 'Start a local agent';
  static override description =
    'Registers a LocalAgent with the Prefect API, then runs every flow run whose labels it matches as a local process group: Command storage runs its argv, Module storage runs the exported function with node. SIGTERM or SIGINT stops claiming at once and gives running flow runs --stop-timeout seconds to finish; a second signal terminates them. Settings come from flags > PREFECT__* environment variables > ~/.prefect/config.toml > defaults.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --label dev --label staging --env KEY=VALUE --show-flow-logs',
    '<%= config.bin %> <%= command.id %> --agent-config-id <ID> --agent-address http://localhost:8080',
  ];
  static override flags = agentStartFlags();

  async run(): Promise<LocalAgentResult> {
    const { flags } = await this.parse(LocalStart);
    // A plain command line never gets here: bin/run.js runs it without oclif (agent-start.ts).
    return runLocalAgent(toStartFlags(flags), (line) => this.log(line));
  }
}
