import { Args } from '@oclif/core';
import { Client, type CancelFlowRunResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';

export default class CancelFlowRun extends BaseCommand {
  static override summary = 'Cancel a flow run';
  static override description = 'A run that has not started becomes Cancelled at once. A Submitted or Running run becomes Cancelling: its agent terminates the process group (SIGTERM, then SIGKILL after a grace period) and records Cancelled. A finished run is left as it is.';
  static override examples = ['<%= config.bin %> <%= command.id %> 4d9ef5fe-8fab-416f-950f-3cd280c84089'];
  static override args = { id: Args.string({ description: 'The flow run id', required: true }) };
  static override flags = { ...connectionFlags() };

  async run(): Promise<CancelFlowRunResult> {
    const { args, flags } = await this.parse(CancelFlowRun);
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const result = await client.cancelFlowRun(args.id);
    this.log(`Flow run ${result.id}: ${result.state}`);
    return result;
  }
}
