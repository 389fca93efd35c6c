import { Flags } from '@oclif/core';
import { Client, loadFlowSpecs, withLabels, type RegisterFlowResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../base-command.js';
import { connectionFlags, toStartFlags } from '../flags/agent-flags.js';
import { paint } from '../render/style.js';

export interface RegisterResult {
  project: string;
  flows: (RegisterFlowResult & { file: string })[];
  registered: number;
  skipped: number;
}

export default class Register extends BaseCommand {
  static override summary = 'Register flow specs (YAML or JSON) in a project';
  static override description =
    'Reads every flow spec in the given files and directories (*.yaml, *.yml, *.json; a file may hold one flow or a list), checks all of them first (each problem names the file, line and field), then registers each flow. Flows are versioned per project and name: an unchanged spec keeps its version (skipped), a changed one becomes the next version. Relative Module paths and working_dir are resolved against the spec file.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --project examples --path examples/',
    '<%= config.bin %> <%= command.id %> --project etl --path flows/etl.yaml --label dev',
  ];
  static override flags = {
    ...connectionFlags(),
    project: Flags.string({ summary: 'The project to register the flows in', required: true }),
    path: Flags.string({ char: 'p', summary: 'A flow spec file, or a directory of them (repeatable)', required: true, multiple: true }),
    name: Flags.string({ char: 'n', summary: 'Only register the flows with this name (repeatable)', multiple: true }),
    label: Flags.string({ char: 'l', summary: "Add a label to the flows' run config (repeatable)", multiple: true }),
  };

  async run(): Promise<RegisterResult> {
    const { flags } = await this.parse(Register);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    let flows = await loadFlowSpecs(flags.path);
    if (flags.name?.length) flows = flows.filter((f) => flags.name?.includes(f.spec.name));
    const result: RegisterResult = { project: flags.project, flows: [], registered: 0, skipped: 0 };
    let file: string | undefined;
    for (const loaded of flows) {
      if (loaded.file !== file) this.log(`Processing '${(file = loaded.file)}':`);
      const registered = await client.registerFlow({ project: flags.project, flow: withLabels(loaded.spec, flags.label ?? []) });
      result.flows.push({ ...registered, file: loaded.file });
      if (registered.status === 'unchanged') result.skipped++;
      else result.registered++;
      const outcome = registered.status === 'unchanged' ? paint('Skipped (metadata unchanged)', 'dim') : paint('Done', 'green');
      this.log(`  Registering '${registered.name}'... ${outcome}`);
      this.log(`  └── ID: ${registered.id}`);
      this.log(`  └── Version: ${registered.version}`);
    }
    this.log(`======================== ${result.registered} registered, ${result.skipped} skipped ========================`);
    return result;
  }
}
