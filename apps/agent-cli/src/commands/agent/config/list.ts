import { GraphQLTransport, listAgentConfigs, resolveConfig, type AgentConfigInfo } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../../base-command.js';
import { connectionFlags, toStartFlags } from '../../../flags/agent-flags.js';
import { renderTable } from '../../../render/table.js';

export default class ConfigList extends BaseCommand {
  static override summary = 'List agent configs and the state of their SLA';
  static override description = 'One row per agent config of the tenant: id, name, SLA seconds, minimum healthy agents, webhook, number of agents, and the SLA state (failing while an "Agent SLA failure" is open). With --json: [{"id", "name", "created", "slaSeconds", "minHealthy", "webhookUrl", "slaState": "ok"|"failing"|null, "agentCount", "settings"}].';
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json'];
  static override flags = { ...connectionFlags() };

  async run(): Promise<AgentConfigInfo[]> {
    const { flags } = await this.parse(ConfigList);
    const { settings } = resolveConfig({ flags: toStartFlags(flags) });
    const configs = await listAgentConfigs(new GraphQLTransport({ api: settings.api, key: settings.key, tenantId: settings.tenantId }));
    if (configs.length === 0) this.log(`No agent configs at ${settings.api}; create one with \`prefect agent config create --name NAME\`.`);
    else {
      this.log(renderTable(configs, [
        { header: 'ID', value: (c) => c.id },
        { header: 'NAME', value: (c) => c.name ?? '' },
        { header: 'SLA', value: (c) => (c.slaSeconds === null ? '(none)' : `${c.slaSeconds}s`) },
        { header: 'MIN HEALTHY', value: (c) => (c.minHealthy === null ? '' : String(c.minHealthy)) },
        { header: 'AGENTS', value: (c) => String(c.agentCount) },
        { header: 'STATE', value: (c) => c.slaState ?? (c.slaSeconds === null ? '' : 'unchecked'), style: (c) => (c.slaState === 'failing' ? 'red' : c.slaState === 'ok' ? 'green' : undefined) },
        { header: 'WEBHOOK', value: (c) => c.webhookUrl ?? '' },
      ]));
    }
    return configs;
  }
}
