import { Flags } from '@oclif/core';
import { Client, type FlowRunInfo } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import type { Style } from '../../render/style.js';
import { renderTable } from '../../render/table.js';
import { age } from './projects.js';

export interface GetFlowRunsResult {
  flow_runs: FlowRunInfo[];
}

const stateStyle = (state: string): Style | undefined =>
  state === 'Success' ? 'green' : ['Failed', 'ClientFailed', 'TimedOut'].includes(state) ? 'red' : ['Cancelled', 'Cancelling'].includes(state) ? 'yellow' : undefined;

function duration(run: FlowRunInfo): string {
  if (!run.start_time) return '';
  const s = Math.max(0, Math.round(((run.end_time ? Date.parse(run.end_time) : Date.now()) - Date.parse(run.start_time)) / 1000));
  return `${String(Math.floor(s / 3600)).padStart(2, '0')}:${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
}

export default class GetFlowRuns extends BaseCommand {
  static override summary = 'List flow runs, newest first';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --flow hello --project examples --state Failed --json'];
  static override description = 'Lists flow runs, newest first, with state, age, duration and id.';
  static override flags = {
    ...connectionFlags(),
    flow: Flags.string({ summary: 'Only runs of the flow with this name' }),
    project: Flags.string({ summary: 'Only runs of flows in this project' }),
    state: Flags.string({ summary: 'Only runs in this state (repeatable), e.g. Running, Failed', multiple: true }),
    limit: Flags.integer({ summary: 'At most this many runs', default: 10, min: 1 }),
  };

  async run(): Promise<GetFlowRunsResult> {
    const { flags } = await this.parse(GetFlowRuns);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const runs = await client.listFlowRuns({ flowName: flags.flow, project: flags.project, states: flags.state, limit: flags.limit });
    this.log(
      renderTable(runs, [
        { header: 'NAME', value: (r) => r.name },
        { header: 'FLOW NAME', value: (r) => r.flow_name },
        { header: 'STATE', value: (r) => r.state, style: (r) => stateStyle(r.state) },
        { header: 'AGE', value: (r) => age(r.created) },
        { header: 'START TIME', value: (r) => r.start_time ?? '' },
        { header: 'DURATION', value: duration },
        { header: 'ID', value: (r) => r.id },
      ]),
    );
    return { flow_runs: runs };
  }
}
