import { Args, Flags } from '@oclif/core';
import { Client, type CreateProjectResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';

export default class CreateProject extends BaseCommand {
  static override summary = 'Create a project to register flows in';
  static override description = 'Projects group flows: `prefect register --project NAME` registers into one, `prefect run --project NAME` finds flows in one. A name that is taken fails with exit 2 unless --skip-if-exists is given.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> examples',
    '<%= config.bin %> <%= command.id %> etl --description "Nightly loads" --skip-if-exists',
  ];
  static override args = { name: Args.string({ description: 'The project name', required: true }) };
  static override flags = {
    ...connectionFlags(),
    description: Flags.string({ char: 'd', summary: 'A description of the project' }),
    'skip-if-exists': Flags.boolean({ summary: 'Succeed without change when the project already exists', default: false }),
  };

  async run(): Promise<CreateProjectResult> {
    const { args, flags } = await this.parse(CreateProject);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const project = await client.createProject({ name: args.name, description: flags.description, skipIfExists: flags['skip-if-exists'] });
    this.log(project.created_now ? `${project.name} created` : `${project.name} already exists`);
    return project;
  }
}
