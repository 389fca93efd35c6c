import { Flags } from '@oclif/core';
import { agentStatus, ExitCode, formatAge, GraphQLTransport, resolveConfig, type StatusResult } from '@prefect-ts/agent-core';
import { BaseCommand } from '../../base-command.js';
import { connectionFlags, toStartFlags } from '../../flags/agent-flags.js';
import { paint } from '../../render/style.js';
import { renderTable } from '../../render/table.js';

export default class Status extends BaseCommand {
  static override summary = 'Show which agents are healthy';
  static override description = `Lists the tenant's agents with the time each one last asked for work, whether that is within --stale-after seconds, and the flow runs each one is running, then the recent agent SLA events (open failures first marked OPEN). With --agent-config-id, only that config's agents and events, and --stale-after defaults to the config's sla_seconds. With --agent-address, also asks that agent's /api/health.

Exit codes: 0 at least one (listed) agent is healthy (and the probed health endpoint answers 200); 5 none is; 2 bad flags (e.g. --agent-config-id not a UUID); 4 API unreachable, credentials rejected, or no agent config with that id.

--json prints (also with exit 5):
  { "api", "checkedAt", "staleAfterSeconds", "healthyCount", "ok": boolean, "agentConfigId": string|null,
    "agents": [{ "id", "name", "type", "labels": [], "agentConfigId", "lastQueried": ISO|null,
                 "secondsSinceQuery": number|null, "healthy": boolean, "runsInFlight": number }],
    "events": [{ "id", "type": "AGENT_SLA_FAILURE"|"AGENT_SLA_RECOVERED", "agentConfigId", "agentConfigName",
                 "healthyAgentIds": [], "unhealthyAgentIds": [], "slaMinHealthy", "slaSeconds", "created",
                 "deliveredAt": ISO|null, "deliveryAttempts", "open": boolean }],   (10 newest first)
    "health"?: { "url", "status": number|null, "ok", "body"?, "error"? } }`;
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    '<%= config.bin %> <%= command.id %> --stale-after 120 --json',
    '<%= config.bin %> <%= command.id %> --agent-address http://localhost:8080',
    '<%= config.bin %> <%= command.id %> --agent-config-id 0b4c7a52-1c55-4a1e-9d3c-7f0e2f1a9b10',
  ];
  static override flags = {
    ...connectionFlags(),
    'agent-address': Flags.string({ summary: "Also query this agent's health endpoint (http://HOST:PORT)." }),
    'agent-config-id': Flags.string({ summary: 'Only the agents and SLA events of this agent config (see `prefect agent config list`).' }),
    'stale-after': Flags.integer({ summary: 'An agent that has not asked for work for this many seconds is stale.', defaultHelp: async () => '60, or the sla_seconds of --agent-config-id', min: 1 }),
  };

  async run(): Promise<StatusResult> {
    const { flags } = await this.parse(Status);
    const { settings } = resolveConfig({ flags: toStartFlags(flags) });
    const transport = new GraphQLTransport({ api: settings.api, key: settings.key, tenantId: settings.tenantId });
    const result = await agentStatus(transport, { staleAfterSeconds: flags['stale-after'], agentAddress: flags['agent-address'], agentConfigId: flags['agent-config-id'] });
    if (!this.jsonEnabled()) this.render(result);
    if (!result.ok) this.exitWith(ExitCode.NO_HEALTHY_AGENT, result);
    return result;
  }

  private render(result: StatusResult): void {
    if (result.agents.length === 0) this.log(result.agentConfigId ? `No agents have registered with agent config ${result.agentConfigId}.` : `No agents have registered with ${result.api}.`);
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
    this.renderEvents(result);
    this.log(`\n${result.healthyCount} of ${result.agents.length} agent(s) healthy (stale after ${result.staleAfterSeconds}s).`);
  }

  private renderEvents(result: StatusResult): void {
    if (result.events.length === 0) return;
    const open = result.events.filter((e) => e.open);
    if (open.length > 0) {
      this.log(paint(`\n${open.length} open agent SLA failure(s):`, 'red'));
      for (const e of open) this.log(`  ${e.agentConfigName ?? e.agentConfigId}: ${e.healthyAgentIds.length} healthy of ${e.healthyAgentIds.length + e.unhealthyAgentIds.length} agent(s), minimum ${e.slaMinHealthy}, since ${e.created}`);
    }
    this.log('\nRecent agent SLA events:');
    this.log(
      renderTable(result.events, [
        { header: 'TIME', value: (e) => e.created },
        { header: 'EVENT', value: (e) => (e.type === 'AGENT_SLA_FAILURE' ? 'SLA failure' : 'recovered') + (e.open ? ' (OPEN)' : ''), style: (e) => (e.type === 'AGENT_SLA_FAILURE' ? 'red' : 'green') },
        { header: 'AGENT CONFIG', value: (e) => (e.agentConfigName ? `${e.agentConfigName} (${e.agentConfigId})` : e.agentConfigId) },
        { header: 'HEALTHY', value: (e) => `${e.healthyAgentIds.length}/${e.healthyAgentIds.length + e.unhealthyAgentIds.length} (min ${e.slaMinHealthy})` },
        { header: 'WEBHOOK', value: (e) => (e.deliveredAt ? 'delivered' : e.deliveryAttempts > 0 ? `not delivered (${e.deliveryAttempts} attempts)` : '') },
      ]),
    );
  }
}
