import { Flags } from '@oclif/core';
import { agentStatus, ExitCode, formatAge, GraphQLTransport, resolveConfig, type StatusResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import { paint } from '../../render/style.js';
import { renderTable } from '../../render/table.js';

export default class Status extends BaseCommand {
  static override summary = 'Show which agents are healthy';
  static override description =
    'Lists the tenant\'s agents with the time each one last asked for work, whether that is within --stale-after seconds, and the flow runs each one is running. Exits 0 when at least one agent is healthy and 5 when none is, so monitors and scripts can use it. With --agent-address, also asks that agent\'s /api/health.';
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --stale-after 120 --json',
    '<%= config.bin %> <%= command.id %> --agent-address http://localhost:8080',
  ];
  static override flags = {
    ...connectionFlags(),
    'agent-address': Flags.string({ summary: "Also query this agent's health endpoint (http://HOST:PORT)." }),
    'stale-after': Flags.integer({ summary: 'An agent that has not asked for work for this many seconds is stale.', default: 60, min: 1 }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const { settings } = resolveConfig({ flags: toStartFlags(flags) });
    const transport = new GraphQLTransport({ api: settings.api, key: settings.key, tenantId: settings.tenantId });
    const result = await agentStatus(transport, { staleAfterSeconds: flags['stale-after'], agentAddress: flags['agent-address'] });
    if (!this.jsonEnabled()) this.render(result);
    if (!result.ok) this.exitWith(ExitCode.NO_HEALTHY_AGENT, result);
    return result;
  }

  private render(result: StatusResult): void {
    if (result.agents.length === 0) this.log(`No agents have registered with ${result.api}.`);
    else {
      this.log(
        renderTable(result.agents, [
          { header: 'NAME', value: (a) => a.name },
          { header: 'ID', value: (a) => a.id },
          { header: 'TYPE', value: (a) => a.type },
          { header: 'LABELS', value: (a) => a.labels.join(', ') || '(none)' },
          { header: 'LAST QUERY', value: (a) => formatAge(a.secondsSinceQuery) },
          { header: 'STATUS', value: (a) => (a.healthy ? 'healthy' : 'stale'), style: (a) => (a.healthy ? 'green' : 'red') },
          { header: 'RUNS', value: (a) => String(a.runsInFlight) },
          { header: 'AGENT CONFIG', value: (a) => a.agentConfigId ?? '' },
        ]),
      );
    }
    if (result.health) {
      const h = result.health;
      const state = h.ok ? paint('200 healthy', 'green') : paint(h.status === null ? `unreachable (${h.error})` : `${h.status} unhealthy`, 'red');
      this.log(`\nHealth ${h.url}: ${state}${!h.ok && h.body ? ` ${JSON.stringify(h.body)}` : ''}`);
    }
    this.log(`\n${result.healthyCount} of ${result.agents.length} agent(s) healthy (stale after ${result.staleAfterSeconds}s).`);
  }
}
