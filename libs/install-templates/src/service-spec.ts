/**
 * One description of the agent as a service, rendered to supervisord, systemd and launchd.
 * Built by `@prefect-ts/agent-core` (`buildServiceSpec`) from the parsed `agent local start` flags;
 * every renderer is a pure function of it.
 */
export type ServiceFormat = 'supervisord' | 'systemd' | 'launchd';
export const SERVICE_FORMATS: readonly ServiceFormat[] = ['supervisord', 'systemd', 'launchd'];

/** `system`: root-installed (systemd system unit, LaunchDaemon, supervisord running as root). `user`: per-user manager. */
export type ServiceScope = 'system' | 'user';

export interface ServiceSpec {
  /** supervisord program name and systemd unit base name, `[A-Za-z0-9_.-]+`. */
  name: string;
  /** launchd Label (reverse DNS); also the plist's file basename. */
  label: string;
  description: string;
  /** Absolute node, its flags for the agent, absolute entry script, then the start flags in canonical form. Never a shell string. */
  argv: string[];
  /** Where each argv element came from (`--label`, `node`, ...), for error messages. Same length as argv. */
  argvSources?: string[];
  /** Working directory (absolute, normalised). */
  cwd: string;
  /** Non-secret environment of the agent process: PATH, HOME, USER, LOGNAME. */
  env: Record<string, string>;
  /** Secret environment (the API key): supervisord `environment=`, systemd `EnvironmentFile=`, launchd EnvironmentVariables; never argv. */
  secretEnv: Record<string, string>;
  /** Where each secretEnv value came from (`--key`, `~/.prefect/config.toml`), for error messages. */
  secretSources?: Record<string, string>;
  /** systemd EnvironmentFile= path (written 0600 next to the unit). */
  envFile: string;
  scope: ServiceScope;
  /** Account the agent runs as (system scope only: systemd User=, supervisord user=, launchd UserName). */
  user?: string;
  restart: {
    /** Restart after any exit, clean or not, in every format (autorestart=true, Restart=always, KeepAlive=true). */
    policy: 'always';
    /** Delay before a restart (RestartSec, ThrottleInterval; supervisord: startsecs). */
    delaySec: number;
    /** Backoff cap, only where the format has capped backoff (systemd >= 254; not emitted for 252). */
    maxDelaySec: number;
  };
  stop: {
    /** The agent's graceful signal: it drains runs for --stop-timeout seconds. */
    signal: 'TERM';
    /** Grace before SIGKILL: the agent's --stop-timeout plus a margin. */
    timeoutSec: number;
    /** Signal and kill the whole process group / cgroup. */
    killGroup: true;
  };
  logs: {
    /** Created 0700 by the installer (supervisord and launchd; systemd logs to the journal). */
    dir: string;
    stdout: string;
    stderr: string;
    /** supervisord rotation (launchd has none: see the README). */
    maxBytes: number;
    backups: number;
  };
  /** Standalone supervisord.conf: its own daemon's files, in a private 0700 directory. */
  supervisord: {
    stateDir: string;
    socket: string;
    pidfile: string;
    logfile: string;
  };
  /** systemd: emit RestartSteps/RestartMaxDelaySec (needs systemd >= 254). */
  systemdBackoffSteps?: boolean;
}
