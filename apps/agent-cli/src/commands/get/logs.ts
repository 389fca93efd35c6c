import { Flags } from '@oclif/core';
import { Client, type LogEntry } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import { renderTable } from '../../render/table.js';

export interface GetLogsResult {
  logs: LogEntry[];
}

export default class GetLogs extends BaseCommand {
  static override summary = "Show a flow run's logs";
  static override description = 'Prints the logs of one flow run, oldest first: the output of its process and the messages of the agent that ran it. Name the run by --id, or by --name (the newest run with that name).';
  static override examples = ['<%= config.bin %> <%= command.id %> --id 4d9ef5fe-8fab-416f-950f-3cd280c84089', '<%= config.bin %> <%= command.id %> --name hello-4d9ef5fe --json'];
  static override flags = {
    ...connectionFlags(),
    id: Flags.string({ char: 'i', summary: 'The flow run id', exactlyOne: ['id', 'name'] }),
    name: Flags.string({ char: 'n', summary: 'The flow run name', exactlyOne: ['id', 'name'] }),
    limit: Flags.integer({ summary: 'At most this many lines', min: 1 }),
  };

  async run(): Promise<GetLogsResult> {
    const { flags } = await this.parse(GetLogs);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const logs = await client.logs({ flowRunId: flags.id, flowRunName: flags.name, limit: flags.limit });
    this.log(
      renderTable(logs, [
        { header: 'TIMESTAMP', value: (l) => l.timestamp },
        { header: 'LEVEL', value: (l) => l.level, style: (l) => (l.level === 'ERROR' || l.level === 'CRITICAL' ? 'red' : l.level === 'WARNING' ? 'yellow' : undefined) },
        { header: 'MESSAGE', value: (l) => l.message },
      ]),
    );
    return { logs: [...logs] };
  }
}
