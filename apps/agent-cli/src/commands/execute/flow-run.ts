import { Flags } from '@oclif/core';
import { Client, executeFlowRun, type ExecuteFlowRunResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';

export default class ExecuteFlowRun extends BaseCommand {
  static override summary = 'Execute a flow run in this process (the entrypoint an agent can spawn)';
  static override description =
    "Prefect's child entrypoint: reads PREFECT__CONTEXT__FLOW_RUN_ID (or --id), fetches the run and runs its storage like the local agent does (Command argv, or a Module's export called with the parameters) as a child process group, printing its output. When the run is already Running, the agent that started it reports its states; otherwise this command sets Running, then Success or Failed. Exits with the flow process's exit code.";
  static override examples = ['PREFECT__CONTEXT__FLOW_RUN_ID=<ID> <%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --id <ID>'];
  static override flags = {
    ...connectionFlags(),
    id: Flags.string({ char: 'i', summary: 'The flow run id', env: 'PREFECT__CONTEXT__FLOW_RUN_ID' }),
  };

  async run(): Promise<ExecuteFlowRunResult> {
    const { flags } = await this.parse(ExecuteFlowRun);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const abort = new AbortController();
    const stop = () => abort.abort();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    try {
      const result = await executeFlowRun(client, {
        flowRunId: flags.id,
        signal: abort.signal,
        onLine: (stream, line) => (stream === 'stdout' ? this.log(line) : this.logToStderr(line)),
      });
      if (result.exit_code !== 0) this.exitWith(result.exit_code, result);
      return result;
    } finally {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    }
  }
}
