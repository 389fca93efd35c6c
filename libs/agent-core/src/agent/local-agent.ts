import { AgentApi } from '../control-plane/agent-api.js';
import { GraphQLTransport } from '../control-plane/transport.js';
import { HealthState } from '../health/health-state.js';
import { parseAgentAddress, startHealthServer, type HealthServer } from '../health/health-server.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { runClaimLoop } from '../loop/claim-loop.js';
import { LeaseKeeper } from '../loop/lease-keeper.js';
import type { PollContext } from '../loop/poll-context.js';
import { runPrefect1Loop } from '../loop/prefect1-poller.js';
import { Waker } from '../loop/wake-sleep.js';
import type { AgentSettings } from '../options/agent-options.js';
import { startReaper } from '../process/reaper.js';
import { startWatchdog, type ParentDeathWatchdog } from '../process/watchdog.js';
import { RunReports } from '../runs/run-reports.js';
import { RunSupervisor } from '../runs/run-supervisor.js';
import { settingsFrom, stdoutSink, type LocalAgentOptions } from './agent-settings.js';
import { agentLabels } from './labels.js';
import { register, type Registration } from './registration.js';
import { installSignalHandlers } from './signals.js';
import { drainAndStop, type StopControl } from './shutdown.js';
import { retryStartUp } from './start-up-retry.js';

export interface LocalAgentResult {
  agentId?: string;
  polls: number;
  /** 'claim' = the extension protocol, 'prefect1' = Prefect 1's polling. */
  protocol?: 'claim' | 'prefect1';
}

/** The local agent: registers, claims flow runs and runs each as a local process group. */
export class LocalAgent {
  readonly settings: AgentSettings;
  readonly labels: string[];
  readonly logger: Logger;
  readonly health = new HealthState();
  private readonly waker = new Waker();
  private readonly control: StopControl = new (class implements StopControl {
    readonly claims = new AbortController();
    readonly giveUp = new AbortController();
    graceful?: boolean;
    forced = false;
    listeners = new Set<() => void>();
  })();
  private healthServer?: HealthServer;
  private polls = 0;

  constructor(private readonly options: LocalAgentOptions = {}) {
    this.settings = settingsFrom(options);
    this.labels = agentLabels(this.settings.labels, this.settings.hostnameLabel, options.hostname);
    this.logger = createLogger({ name: this.settings.name, level: this.settings.level, sink: options.sink ?? stdoutSink });
  }

  /** The health server's address once started (`--agent-address`). */
  get healthUrl(): string | undefined {
    return this.healthServer?.url;
  }

  /** Runs until stopped or `maxPolls` is reached; rejects on fatal start-up errors. */
  async start(): Promise<LocalAgentResult> {
    const { settings, logger } = this;
    const address = settings.agentAddress ? parseAgentAddress(settings.agentAddress) : undefined;
    if (address) {
      this.healthServer = await startHealthServer(address, () => this.health.status(), () => this.waker.wake());
      logger.info(`Health server listening at ${this.healthServer.url}/api/health`);
    }
    const api = new AgentApi(new GraphQLTransport({ api: settings.api, key: settings.key, tenantId: settings.tenantId }));
    let watchdog: ParentDeathWatchdog | undefined;
    const reaper = startReaper(logger); // PID 1 / subreaper: reap orphaned grandchildren
    try {
      const registration = await retryStartUp('Registering with the API at ' + settings.api, () => register(api, { name: settings.name, labels: this.labels, tenantId: settings.tenantId, agentConfigId: settings.agentConfigId, hasKey: !!settings.key }, logger), {
        logger,
        signal: this.control.claims.signal,
        backoff: this.options.startUpBackoff,
        onFailure: (reason) => this.health.registrationFailed(reason),
      });
      if (!registration) return { polls: 0 };
      this.health.registered();
      watchdog = startWatchdog();
      return await this.run(api, registration, watchdog);
    } finally {
      await watchdog?.close();
      reaper?.stop();
      await this.healthServer?.close();
    }
  }

  private async run(api: AgentApi, reg: Registration, watchdog: ParentDeathWatchdog): Promise<LocalAgentResult> {
    const { settings, logger } = this;
    const useClaims = this.options.useExtensions !== false && reg.features.includes('claim_flow_runs');
    const heartbeat = this.options.useExtensions !== false && reg.features.includes('agent_heartbeat');
    const oneTransaction = this.options.useExtensions !== false && reg.features.includes('report_flow_runs');
    const reports = new RunReports({ send: oneTransaction ? (l, s) => api.reportFlowRuns(l, s) : (l, s) => api.sendReports(l, s), logger });
    const supervisor = new RunSupervisor(
      {
        api: { setFlowRunStates: (states) => reports.setFlowRunStates(states), runStates: (ids) => api.runStates(ids) },
        logger,
        reports,
        agentName: settings.name,
        shipOutput: settings.sendFlowRunLogs,
        echo: settings.showFlowLogs ? (this.options.flowLogSink ?? ((line) => (this.options.sink ?? stdoutSink)('INFO', line))) : undefined,
        watchdog,
        killGraceMs: this.options.killGraceMs ?? 10_000,
        giveUp: this.control.giveUp.signal,
        env: {
          agentEnv: this.options.agentEnv ?? process.env,
          agentVars: settings.env,
          api: settings.api,
          apiKey: settings.key,
          tenantId: reg.tenantId,
          labels: this.labels,
          sendFlowRunLogs: settings.sendFlowRunLogs,
          importPaths: settings.importPaths,
        },
      },
      settings.limit,
      () => this.waker.wake(),
    );
    const keeper = new LeaseKeeper({ api, supervisor, logger, agentId: reg.agentId, heartbeat, intervalMs: this.options.heartbeatIntervalMs ?? 5000 });
    reports.start();
    keeper.start();
    logger.info(`Starting LocalAgent with labels ${JSON.stringify(this.labels)}`);
    logger.info(`Protocol: ${useClaims ? 'claim_flow_runs (long polling)' : "Prefect 1 polling (get_runs_in_queue)"}${heartbeat ? ' with agent_heartbeat leases' : ''}`);
    logger.info('Waiting for flow runs...');
    const ctx: PollContext = {
      api, supervisor, logger, health: this.health, waker: this.waker, signal: this.control.claims.signal,
      agentId: reg.agentId, tenantId: reg.tenantId, labels: this.labels, maxPolls: settings.maxPolls,
      onLeaseSeconds: (s) => keeper.noteLeaseSeconds(s),
      onPoll: (n) => {
        this.polls = n;
        this.options.onPoll?.(n);
      },
    };
    // 30 s long polls: an idle agent makes two requests a minute (control-plane-anchors T5: at most
    // one per 30 s) while the server refreshes its last_queried every 5 s and wakes it at once.
    const waitSeconds = this.options.pollWaitSeconds ?? (settings.maxPolls !== undefined ? 2 : 30);
    if (useClaims) await runClaimLoop(ctx, { waitSeconds });
    else await runPrefect1Loop(ctx);
    if (!this.control.claims.signal.aborted) logger.info(`Reached the maximum number of polls (${settings.maxPolls}); finishing running flow runs`);
    await drainAndStop({ supervisor, logger, control: this.control, stopTimeoutMs: settings.stopTimeout * 1000, killGraceMs: this.options.killGraceMs ?? 10_000 });
    keeper.stop();
    this.health.stopping();
    await reports.close(this.control.forced ? 2000 : 10_000);
    logger.info('Agent stopped.');
    return { agentId: reg.agentId, polls: this.polls, protocol: useClaims ? 'claim' : 'prefect1' };
  }

  /** Wakes the poll loop now (what `/api/poke` does). */
  poke(): void {
    this.waker.wake();
  }

  /**
   * Graceful: stop claiming now, let running runs finish for up to `--stop-timeout`, then
   * terminate their process groups. Forced (or a second call): terminate them at once.
   */
  stop(options: { graceful?: boolean } = {}): void {
    const c = this.control;
    const graceful = options.graceful !== false && c.graceful === undefined;
    if (c.graceful === undefined) c.graceful = graceful;
    if (!graceful) c.forced = true;
    this.health.stopping();
    c.claims.abort();
    for (const l of [...c.listeners]) l();
  }

  /** SIGTERM/SIGINT: first = graceful stop, second = forced. Returns an uninstaller. */
  installSignalHandlers(): () => void {
    return installSignalHandlers(this, this.logger, () => this.settings.stopTimeout);
  }
}
