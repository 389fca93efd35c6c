import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import type { ServiceFormat, ServiceScope, ServiceSpec } from '@prefect-ts/install-templates';
import { resolveConfig } from '../config/resolve-config.js';
import { specFor } from '../config/settings-spec.js';
import { UsageError } from '../errors.js';
import { AGENT_OPTIONS, type AgentStartFlags } from '../options/agent-options.js';
import { flagsToArgv } from '../options/to-argv.js';
import { AGENT_NODE_FLAGS } from './agent-node-flags.js';

export interface InstallOptions {
  format: ServiceFormat;
  scope: ServiceScope;
  /** Absolute path of the CLI entry script (apps/agent-cli/bin/run.js): the service runs `node [AGENT_NODE_FLAGS] <it> agent local start`. */
  entryScript: string;
  /** Where the main file will be written (`--output`); the systemd env file goes next to it. */
  output?: string;
  /** Defaults: this process's node, cwd, environment, account. */
  execPath?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  account?: { name: string; home: string };
  /** Home for `~/.prefect/config.toml` (tests). */
  homeDir?: string;
}

/** Seconds added to the agent's --stop-timeout before the manager SIGKILLs. */
export const STOP_MARGIN_SEC = 10;
const API_KEY_ENV = specFor('key').env;

/** The service command's start arguments, in canonical order, with the flag each came from. */
export function startArgv(flags: AgentStartFlags): { argv: string[]; sources: string[] } {
  const rejected = AGENT_OPTIONS.find((d) => d.install === 'reject' && flags[d.flagKey] !== undefined);
  if (rejected) {
    throw new UsageError(`--${rejected.flag} cannot be installed: ${rejected.description}`, { code: 'INSTALL_REJECTED_FLAG' });
  }
  const argv = flagsToArgv(flags);
  return { argv, sources: argv.map((a) => a.replace(/=.*$/s, '')) };
}

/** The service name: `prefect-agent`, or `prefect-agent-<name>` for a named agent, so several agents can coexist. */
export function serviceName(flags: AgentStartFlags): string {
  const slug = (flags.name ?? '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug ? `prefect-agent-${slug}` : 'prefect-agent';
}

/** Builds the one ServiceSpec every format renders. Reads the config file only for the API key and the stop timeout. */
export function buildServiceSpec(flags: AgentStartFlags, options: InstallOptions): ServiceSpec {
  const env = options.env ?? process.env;
  const execPath = options.execPath ?? process.execPath;
  const { argv, sources } = startArgv(flags);
  const resolved = resolveConfig({ flags, env, homeDir: options.homeDir });
  const account = options.account ?? currentAccount(options.scope, env);
  const name = serviceName(flags);
  const label = `io.prefect-ts.${name}`;
  const home = account.home;
  const key = resolved.settings.key;
  const paths = defaultPaths(options.format, options.scope, name, label, home, options.output);
  return {
    name,
    label,
    description: `Prefect local agent ${name} (prefect-ts)`,
    argv: [execPath, ...AGENT_NODE_FLAGS, resolve(options.entryScript), 'agent', 'local', 'start', ...argv],
    argvSources: ['node executable (process.execPath)', ...AGENT_NODE_FLAGS.map(() => 'node flag'), 'entry script', 'command', 'command', 'command', ...sources],
    cwd: resolve(options.cwd ?? process.cwd()),
    env: {
      PATH: [...new Set([dirname(execPath), '/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'])].join(':'),
      HOME: home,
      USER: account.name,
      LOGNAME: account.name,
    },
    secretEnv: key ? { [API_KEY_ENV]: key } : {},
    secretSources: key ? { [API_KEY_ENV]: resolved.sources.key.kind === 'flag' ? '--key' : `API key (${resolved.sources.key.name})` } : {},
    envFile: paths.envFile,
    scope: options.scope,
    user: options.scope === 'system' ? account.name : undefined,
    restart: { policy: 'always', delaySec: 5, maxDelaySec: 60 },
    stop: { signal: 'TERM', timeoutSec: Math.ceil(resolved.settings.stopTimeout) + STOP_MARGIN_SEC, killGroup: true },
    logs: { dir: paths.logDir, stdout: join(paths.logDir, 'agent.out.log'), stderr: join(paths.logDir, 'agent.err.log'), maxBytes: 10 * 1024 * 1024, backups: 5 },
    supervisord: {
      stateDir: paths.stateDir,
      socket: join(paths.stateDir, 'supervisor.sock'),
      pidfile: join(paths.stateDir, 'supervisord.pid'),
      logfile: join(paths.logDir, 'supervisord.log'),
    },
  };
}

export interface DefaultPaths {
  /** Where the main file is installed by default (printed in the activation steps). */
  mainFile: string;
  envFile: string;
  logDir: string;
  stateDir: string;
}

export function defaultPaths(format: ServiceFormat, scope: ServiceScope, name: string, label: string, home: string, output?: string): DefaultPaths {
  const system = scope === 'system';
  const stateDir = system ? `/var/lib/${name}` : join(home, '.prefect', 'services', name);
  let mainFile: string;
  let logDir = system ? `/var/log/${name}` : join(stateDir, 'logs');
  if (format === 'systemd') mainFile = system ? `/etc/systemd/system/${name}.service` : join(home, '.config/systemd/user', `${name}.service`);
  else if (format === 'launchd') {
    mainFile = system ? `/Library/LaunchDaemons/${label}.plist` : join(home, 'Library/LaunchAgents', `${label}.plist`);
    logDir = system ? `/Library/Logs/${label}` : join(home, 'Library/Logs', label);
  } else mainFile = system ? `/etc/supervisor/conf.d/${name}.conf` : join(stateDir, 'supervisord.conf');
  const main = output ? resolve(output) : mainFile;
  const envFile = join(dirname(main), `${basename(main).replace(/\.service$/, '')}.env`);
  return { mainFile: main, envFile, logDir, stateDir };
}

/** The account the service runs as: the invoking user (SUDO_USER under sudo for system scope). */
export function currentAccount(scope: ServiceScope, env: NodeJS.ProcessEnv): { name: string; home: string } {
  const me = userInfo();
  const sudoUser = scope === 'system' ? env['SUDO_USER'] : undefined;
  if (sudoUser && sudoUser !== me.username) return { name: sudoUser, home: passwdHome(sudoUser) ?? `/home/${sudoUser}` };
  return { name: me.username, home: me.homedir };
}

function passwdHome(user: string): string | undefined {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith(`${user}:`));
    return line?.split(':')[5] || undefined;
  } catch {
    return undefined;
  }
}
