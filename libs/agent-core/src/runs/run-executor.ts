import type { AgentApi } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';
import { launch, type ExitInfo, type LaunchedProcess } from '../process/launcher.js';
import type { ParentDeathWatchdog } from '../process/watchdog.js';
import { buildChildEnv, type ChildEnvContext } from './child-env.js';
import { runLabel, type FlowRunMetadata } from './flow-run.js';
import { planRun } from './run-plan.js';
import type { RunReports } from './run-reports.js';
import { StateReporter } from './state-reporter.js';
import { FINISHED, type StateType } from './states.js';

export interface RunExecutorContext {
  /** `setFlowRunStates` through `reports`, so that a run's logs go out before its states. */
  api: Pick<AgentApi, 'setFlowRunStates' | 'runStates'>;
  logger: Logger;
  reports: Pick<RunReports, 'addLog'>;
  env: Omit<ChildEnvContext, 'run' | 'runConfigEnv'>;
  agentName: string;
  /** Ship the child's output as run logs (`--no-cloud-logs` turns it off). */
  shipOutput: boolean;
  /** `--show-flow-logs`: echo each output line, prefixed with the run's name. */
  echo?: (line: string) => void;
  watchdog?: ParentDeathWatchdog;
  /** SIGTERM → SIGKILL grace for cancellation and shutdown. */
  killGraceMs: number;
  /** Aborted when the agent gives up delivering states (forced stop deadline). */
  giveUp: AbortSignal;
}

type EndReason = { kind: 'cancel' } | { kind: 'lost' } | { kind: 'shutdown'; message: string };

/** One flow run from "claimed (Submitted)" to its final state. `run()` never throws. */
export class RunExecutor {
  readonly id: string;
  /** When the claim answer was handled: the lease runs from (about) here until renewed. */
  readonly claimedAt = Date.now();
  private child?: LaunchedProcess;
  private endReason?: EndReason;
  private readonly reporter: StateReporter;
  private readonly label: string;

  constructor(
    readonly run: FlowRunMetadata,
    private readonly ctx: RunExecutorContext,
  ) {
    this.id = run.id;
    this.label = runLabel(run);
    this.reporter = new StateReporter(ctx.api, run.id, run.version, ctx.logger);
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  async execute(): Promise<void> {
    const { logger } = this.ctx;
    // The fork happens inside launch() before its first await: the (synchronous) log line is
    // written after it, so it is not on the path from claim to child.
    const launching = (async () => {
      const plan = planRun(this.run);
      const env = buildChildEnv({ ...this.ctx.env, run: this.run, runConfigEnv: plan.runConfigEnv });
      return launch({ file: plan.file, args: plan.args, cwd: plan.cwd, env, onLine: (stream, line) => this.onLine(stream, line) });
    })();
    logger.info(`Deploying flow run ${this.id} to execution environment...`);
    try {
      this.child = await launching;
    } catch (error) {
      const message = (error as Error).message;
      logger.error(`Deployment of flow run ${this.id} failed: ${message}`);
      this.runLog('ERROR', message);
      await this.finish('Failed', message);
      return;
    }
    const { pid } = this.child;
    this.ctx.watchdog?.watch(pid);
    logger.debug(`Submitted flow run ${this.id} to process PID ${pid}`);
    this.runLog('INFO', `Submitted for execution: PID: ${pid}`);
    logger.info(`Completed deployment of flow run ${this.id}`);
    if (this.endReason) void this.child.terminate(this.ctx.killGraceMs);
    const running = this.setRunning(pid);
    const exit = await this.child.exited;
    this.ctx.watchdog?.unwatch(pid);
    await running;
    await this.report(exit);
  }

  private async setRunning(pid: number): Promise<void> {
    const outcome = await this.reporter.set('Running', `Running as PID ${pid}`, this.ctx.giveUp);
    if (outcome.kind === 'conflict') this.onExternalState(outcome.state);
  }

  /** The run's state changed outside the agent: Cancelling → cancel; finished/re-offered → stop. */
  private onExternalState(state: string | null): void {
    if (state === 'Cancelling') this.cancel();
    else if (state !== 'Running' && state !== 'Submitted') this.abandon();
  }

  /** Cancelled through the API: SIGTERM to the group, SIGKILL after the grace; ends Cancelled. */
  cancel(): void {
    if (this.endReason) return;
    this.endReason = { kind: 'cancel' };
    this.ctx.logger.info(`Flow run ${this.id} was cancelled; terminating its process group`);
    void this.child?.terminate(this.ctx.killGraceMs);
  }

  /** The run is no longer ours (lease lost, finished or deleted): stop it, set no state. */
  abandon(): void {
    if (this.endReason) return;
    this.endReason = { kind: 'lost' };
    this.ctx.logger.warning(`Flow run ${this.id} is no longer owned by this agent; terminating its process group`);
    void this.child?.terminate(this.ctx.killGraceMs);
  }

  /**
   * The lease is about to expire without a renewal (API unreachable, e.g. a network partition):
   * stop the process group before the server can re-offer the run, set no state.
   */
  fence(graceMs: number): void {
    if (this.endReason?.kind === 'lost' || this.endReason?.kind === 'cancel') return;
    this.endReason = { kind: 'lost' };
    this.ctx.logger.warning(`Flow run ${this.id}: its lease could not be renewed and expires soon; terminating its process group so that it never runs twice`);
    void this.child?.terminate(graceMs);
  }

  /** Agent shutdown past --stop-timeout (or forced): terminate and record why. */
  shutdown(message: string, graceMs: number): void {
    if (this.endReason?.kind === 'cancel' || this.endReason?.kind === 'lost') return;
    this.endReason = { kind: 'shutdown', message };
    if (graceMs <= 0) this.child?.kill();
    else void this.child?.terminate(graceMs);
  }

  private async report(exit: ExitInfo): Promise<void> {
    const reason = this.endReason;
    const how = exit.signal ? `signal ${exit.signal}` : `exit code ${exit.exitCode}`;
    if (reason?.kind === 'lost') return;
    if (reason?.kind === 'cancel') return this.finish('Cancelled', `Flow run cancelled: the agent terminated its process group (${how})`);
    if (reason?.kind === 'shutdown') return this.finish('Failed', `${reason.message} (${how})`);
    if (!exit.error) return this.finish('Success', 'Flow run process exited with code 0');
    const message = exit.signal ? `Flow run process was terminated by signal ${exit.signal}` : `Flow run process exited with code ${exit.exitCode}`;
    this.runLog('ERROR', message);
    return this.finish('Failed', message);
  }

  private async finish(type: StateType, message: string): Promise<void> {
    // Logs first, state second: RunReports sends a state only after the logs added before it.
    let target = type;
    for (let tries = 0; tries < 3; tries += 1) {
      const outcome = await this.reporter.set(target, message, this.ctx.giveUp);
      if (outcome.kind === 'applied') {
        this.ctx.logger.info(`Flow run ${this.id} (${this.label}) finished: ${target}: ${message}`);
        return;
      }
      if (outcome.kind === 'failed') {
        this.ctx.logger.error(`Could not record ${target} for flow run ${this.id}: ${outcome.message}`);
        return;
      }
      if (outcome.state === 'Cancelling') target = 'Cancelled';
      else if (outcome.state === null || FINISHED.has(outcome.state) || outcome.state === 'Scheduled') {
        this.ctx.logger.warning(`Flow run ${this.id} is already ${outcome.state}; not recording ${target}`);
        return;
      }
    }
  }

  private onLine(stream: 'stdout' | 'stderr', line: string): void {
    if (this.ctx.shipOutput) this.ctx.reports.addLog({ flow_run_id: this.id, name: `flow_run.${stream}`, level: 'INFO', message: line });
    this.ctx.echo?.(`[${this.label}] ${line}`);
  }

  private runLog(level: 'INFO' | 'ERROR', message: string): void {
    this.ctx.reports.addLog({ flow_run_id: this.id, name: this.ctx.agentName, level, message });
  }
}
