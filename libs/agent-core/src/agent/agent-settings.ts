import { DEFAULTS } from '../config/defaults.js';
import { resolveConfig } from '../config/resolve-config.js';
import type { LogSink } from '../logging/logger.js';
import type { AgentSettings } from '../options/agent-options.js';

/** Options of `new LocalAgent(...)`: any agent setting, plus injection points. */
export interface LocalAgentOptions extends Partial<AgentSettings> {
  /**
   * Where the agent's log lines go. Default: stdout (the only place the library prints).
   * `--show-flow-logs` lines go to `flowLogSink`, default the same sink.
   */
  sink?: LogSink;
  flowLogSink?: (line: string) => void;
  /**
   * Base settings (e.g. from `resolveConfig`); explicit options win over them. Without it the
   * settings are resolved like the CLI does, from PREFECT__* env and ~/.prefect/config.toml.
   */
  settings?: AgentSettings;
  /** The environment children inherit (default process.env). */
  agentEnv?: NodeJS.ProcessEnv;
  /** Use `claim_flow_runs`/`agent_heartbeat` when the server offers them (default true). */
  useExtensions?: boolean;
  /** Long-poll seconds per claim (default 20; 2 with maxPolls). */
  pollWaitSeconds?: number;
  /** Lease renewal / cancellation check period (default 5000 ms, at most a third of the lease). */
  heartbeatIntervalMs?: number;
  /** SIGTERM → SIGKILL grace when cancelling or terminating runs (default 10000 ms). */
  killGraceMs?: number;
  /** Host name for the hostname label (tests). */
  hostname?: () => string;
  /** Start-up retry backoff (tests). */
  startUpBackoff?: { baseMs?: number; capMs?: number };
  /** Called after every poll. */
  onPoll?: (polls: number) => void;
}

const OPTION_ONLY = new Set(['sink', 'flowLogSink', 'settings', 'agentEnv', 'useExtensions', 'pollWaitSeconds', 'heartbeatIntervalMs', 'killGraceMs', 'hostname', 'startUpBackoff', 'onPoll']);

/** Base settings overlaid with the explicitly given (non-undefined) setting options. */
export function settingsFrom(options: LocalAgentOptions): AgentSettings {
  const base = options.settings ?? safeResolve(options.agentEnv ?? process.env);
  const explicit = Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && !OPTION_ONLY.has(k)));
  return { ...base, ...explicit } as AgentSettings;
}

function safeResolve(env: NodeJS.ProcessEnv): AgentSettings {
  return { ...DEFAULTS, ...resolveConfig({ env }).settings };
}

export const stdoutSink: LogSink = (_level, line) => {
  process.stdout.write(`${line}\n`);
};
