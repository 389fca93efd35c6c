import { Flags } from '@oclif/core';
import { AgentError, Client, ExitCode, parseParameters, resolveStartTime, type FlowRunInfo, type LogEntry, type WatchEvent } from '@prefect-ts/agent-core';
import { BaseCommand } from '../base-command.js';
import { connectionFlags, toStartFlags } from '../flags/agent-flags.js';
import { paint, type Style } from '../render/style.js';

export interface RunResult {
  flow_run: FlowRunInfo;
  /** With --watch: the run's logs, oldest first. */
  logs?: LogEntry[];
}

const STATE_STYLE: Record<string, Style> = { Success: 'green', Cached: 'green', Failed: 'red', ClientFailed: 'red', TimedOut: 'red', Cancelled: 'yellow', Cancelling: 'yellow' };
const LEVEL_STYLE: Record<string, Style> = { ERROR: 'red', CRITICAL: 'red', WARNING: 'yellow', DEBUG: 'dim' };
const clock = (iso: string): string => new Date(iso).toLocaleTimeString('en-GB', { hour12: false });

/** One aligned line per state change or log line. */
export function formatWatchEvent(event: WatchEvent): string | undefined {
  if (event.type === 'state') {
    const state = paint(event.state.padEnd(12), STATE_STYLE[event.state] ?? 'cyan');
    return `${paint(clock(event.timestamp), 'dim')}  ${state} ${event.message ?? ''}`.trimEnd();
  }
  if (event.type === 'log') {
    const { log } = event;
    const level = LEVEL_STYLE[log.level] ? paint(log.level.padEnd(12), LEVEL_STYLE[log.level]) : log.level.padEnd(12);
    return `${paint(clock(log.timestamp), 'dim')}  ${level} ${log.message}`;
  }
  return undefined;
}

export default class Run extends BaseCommand {
  static override summary = 'Create a flow run, and optionally watch it to the end';
  static override description =
    'Runs the newest version of a registered flow (by --name and --project, or --id). Parameters come from --params (a JSON object) and --param KEY=VALUE (the value is read as JSON when it is JSON, else as text); unknown or missing required parameters are refused before anything is created. --label replaces the labels of the run config, so only an agent with all of them takes the run. With --watch, state changes and log lines are printed as they happen and the exit code is 0 on Success and 7 on any other final state.';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --name hello --project examples --watch',
    '<%= config.bin %> <%= command.id %> --name etl --project examples --param day=2024-01-01 --param retries=3',
    `<%= config.bin %> <%= command.id %> --name etl --project examples --params '{"day": "2024-01-01"}' --label dev --start-in 10m`,
  ];
  static override flags = {
    ...connectionFlags(),
    id: Flags.string({ char: 'i', summary: 'The id of a flow (a specific version) to run', exclusive: ['name'] }),
    name: Flags.string({ char: 'n', summary: 'The name of the flow to run' }),
    project: Flags.string({ summary: 'The project of the flow (needed when the name is in several projects)' }),
    param: Flags.string({ summary: 'A parameter KEY=VALUE (repeatable; JSON values are parsed)', multiple: true }),
    params: Flags.string({ summary: 'Parameters as a JSON object (--param values win)' }),
    label: Flags.string({ char: 'l', summary: 'A label for the run, replacing the run config labels (repeatable)', multiple: true }),
    'run-name': Flags.string({ summary: 'A name for the flow run (default: <flow>-<id prefix>)' }),
    'start-in': Flags.string({ summary: 'Start after a delay: 30s, 10m, 1h30m, 2d', exclusive: ['start-at'] }),
    'start-at': Flags.string({ summary: 'Start at an ISO-8601 date-time (2030-01-01T09:00:00Z)' }),
    'idempotency-key': Flags.string({ summary: 'Creating twice with the same key gives the same run' }),
    watch: Flags.boolean({ char: 'w', summary: 'Stream states and logs until the run ends; exit 0 on Success, 7 otherwise', default: false }),
    'no-logs': Flags.boolean({ summary: 'With --watch, show state changes only', default: false }),
  };

  async run(): Promise<RunResult> {
    const { flags } = await this.parse(Run);
    if (!flags.id && !flags.name) throw new AgentError('Name the flow to run', { code: 'MISSING_FLOW', exitCode: ExitCode.USAGE, suggestions: ['pass --name NAME --project PROJECT, or --id FLOW_ID'] });
    const parameters = parseParameters(flags.param, flags.params);
    const scheduledStartTime = resolveStartTime({ startIn: flags['start-in'], startAt: flags['start-at'] });
    const client = Client.fromConfig({ flags: toStartFlags(flags) });
    const run = await client.createFlowRun({
      flowId: flags.id, flowName: flags.name, project: flags.project, parameters, labels: flags.label, runName: flags['run-name'],
      scheduledStartTime, idempotencyKey: flags['idempotency-key'],
    });
    this.log(`Created flow run '${run.name}' of flow '${run.flow_name}'${run.project ? ` (project ${run.project})` : ''}`);
    this.log(`└── ID: ${run.id}`);
    this.log(`└── Labels: ${JSON.stringify(run.labels)}`);
    this.log(`└── Parameters: ${JSON.stringify(run.parameters)}`);
    this.log(`└── Scheduled start: ${scheduledStartTime ?? 'now'}`);
    if (!flags.watch) {
      this.log(`Follow it with: prefect get flow-runs --flow ${run.flow_name} / prefect get logs --id ${run.id}`);
      return { flow_run: run };
    }
    return this.watch(client, run.id, !flags['no-logs']);
  }

  private async watch(client: Client, id: string, withLogs: boolean): Promise<RunResult> {
    this.log('Watching flow run execution...');
    const logs: LogEntry[] = [];
    let final: FlowRunInfo | undefined;
    let success = false;
    for await (const event of client.watchFlowRun(id, { logs: withLogs })) {
      if (event.type === 'log') logs.push(event.log);
      if (event.type === 'finished') {
        final = event.run;
        success = event.success;
      }
      const line = formatWatchEvent(event);
      if (line) this.log(line);
    }
    const result: RunResult = { flow_run: final as FlowRunInfo, logs };
    if (success) {
      this.log(paint(`Flow run ${result.flow_run.name} finished in state ${result.flow_run.state}.`, 'green'));
      return result;
    }
    const message = `Flow run ${result.flow_run.name} finished in state ${result.flow_run.state}${result.flow_run.state_message ? `: ${result.flow_run.state_message}` : ''}`;
    if (this.jsonEnabled()) return this.exitWith(ExitCode.RUN_FAILED, result);
    throw new AgentError(message, { code: 'FLOW_RUN_FAILED', exitCode: ExitCode.RUN_FAILED, suggestions: [`see its logs with \`prefect get logs --id ${id}\``] });
  }
}
