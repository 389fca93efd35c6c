import { Flags } from '@oclif/core';
import { createAgentConfig, GraphQLTransport, resolveConfig, type AgentConfigCreateResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../../base-command.js';
import { connectionFlags, toStartFlags } from '../../../flags/agent-flags.js';

export default class ConfigCreate extends BaseCommand {
  static override summary = 'Create an agent config with an SLA automation';
  static override description = `Agents started with --agent-config-id ID form this config's group. The control plane checks the group about once a second: when fewer than --min-healthy of its agents have queried for work within --sla-seconds it records one "Agent SLA failure" event (and POSTs it to --webhook, with retries), and one "Agent SLA recovered" event when the group is healthy again. A new config gets --sla-seconds of grace before it can fail. Prints the new config's id (with --json: {"id", "name", "settings": {"sla_seconds", "sla_min_healthy", "webhook_url"?}}). Bad values exit 2 naming the flag.`;
  static override examples = [
    '<%= config.bin %> <%= command.id %> --name etl-agents',
    '<%= config.bin %> <%= command.id %> --name etl-agents --sla-seconds 120 --min-healthy 2 --webhook https://hooks.example.com/prefect',
  ];
  static override flags = {
    ...connectionFlags(),
    name: Flags.string({ summary: 'A name for the config (shown by `agent config list` and in events)', required: true }),
    'sla-seconds': Flags.string({ summary: 'An agent is healthy when it queried for work within this many seconds (at least 1)', default: '300', helpValue: '<seconds>' }),
    'min-healthy': Flags.string({ summary: 'Fewer healthy agents than this is an SLA failure (at least 1)', default: '1', helpValue: '<count>' }),
    webhook: Flags.string({ summary: 'POST each SLA event as JSON to this http(s) URL', helpValue: '<url>' }),
  };

  async run(): Promise<AgentConfigCreateResult> {
    const { flags } = await this.parse(ConfigCreate);
    const { settings } = resolveConfig({ flags: toStartFlags(flags) });
    const transport = new GraphQLTransport({ api: settings.api, key: settings.key, tenantId: settings.tenantId });
    const result = await createAgentConfig(transport, {
      name: flags.name, slaSeconds: Number(flags['sla-seconds']), minHealthy: Number(flags['min-healthy']), webhookUrl: flags.webhook,
    });
    this.log(result.id);
    return result;
  }
}
