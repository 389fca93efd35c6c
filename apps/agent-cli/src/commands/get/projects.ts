import { Flags } from '@oclif/core';
import { Client, formatAge, type ProjectInfo } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import { renderTable } from '../../render/table.js';

export interface GetProjectsResult {
  projects: (ProjectInfo & { flow_count: number })[];
}

export const age = (iso: string | null): string => (iso ? formatAge(Math.max(0, (Date.now() - Date.parse(iso)) / 1000)) : '');

export default class GetProjects extends BaseCommand {
  static override summary = 'List projects with their number of flows';
  static override description = 'Lists the projects of the tenant, by name, with the number of flows (newest versions only) registered in each.';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --name examples --json'];
  static override flags = {
    ...connectionFlags(),
    name: Flags.string({ char: 'n', summary: 'Only the project with this name' }),
  };

  async run(): Promise<GetProjectsResult> {
    const { flags } = await this.parse(GetProjects);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const projects = await client.listProjects({ where: flags.name ? { name: { _eq: flags.name } } : undefined });
    const flows = await client.listFlows({ project: flags.name });
    const counts = new Map<string, number>();
    for (const f of flows) counts.set(f.project_id, (counts.get(f.project_id) ?? 0) + 1);
    const result = { projects: projects.map((p) => ({ ...p, flow_count: counts.get(p.id) ?? 0 })) };
    this.log(
      renderTable(result.projects, [
        { header: 'NAME', value: (p) => p.name },
        { header: 'FLOW COUNT', value: (p) => String(p.flow_count) },
        { header: 'AGE', value: (p) => age(p.created) },
        { header: 'DESCRIPTION', value: (p) => p.description ?? '' },
      ]),
    );
    return result;
  }
}
