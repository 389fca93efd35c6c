import { Flags } from '@oclif/core';
import { Client, type FlowInfo } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import { renderTable } from '../../render/table.js';
import { age } from './projects.js';

export interface GetFlowsResult {
  flows: FlowInfo[];
}

export default class GetFlows extends BaseCommand {
  static override summary = 'List registered flows';
  static override description = 'Lists the newest version of each flow (all versions with --all-versions), by name.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --project examples --name etl --all-versions --json'];
  static override flags = {
    ...connectionFlags(),
    name: Flags.string({ char: 'n', summary: 'Only flows with this name' }),
    project: Flags.string({ summary: 'Only flows in this project' }),
    version: Flags.integer({ char: 'v', summary: 'Only this version', min: 1 }),
    'all-versions': Flags.boolean({ summary: 'Include older (archived) versions', default: false }),
    limit: Flags.integer({ summary: 'At most this many flows', default: 100, min: 1 }),
  };

  async run(): Promise<GetFlowsResult> {
    const { flags } = await this.parse(GetFlows);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const flows = await client.listFlows({ name: flags.name, project: flags.project, version: flags.version, allVersions: flags['all-versions'], limit: flags.limit });
    this.log(
      renderTable(flows, [
        { header: 'NAME', value: (f) => f.name },
        { header: 'VERSION', value: (f) => String(f.version), style: (f) => (f.archived ? 'dim' : undefined) },
        { header: 'PROJECT NAME', value: (f) => f.project },
        { header: 'STORAGE', value: (f) => f.storage_type ?? '' },
        { header: 'LABELS', value: (f) => f.labels.join(', ') },
        { header: 'AGE', value: (f) => age(f.created) },
        { header: 'ID', value: (f) => f.id },
      ]),
    );
    return { flows };
  }
}
