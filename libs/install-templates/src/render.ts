import {
  supervisordCommand,
  supervisordEnvironment,
  supervisordProgramName,
  supervisordValue,
} from './escape/index.js';
import { renderLaunchd } from './render-launchd.js';
import { renderSystemd } from './render-systemd.js';
import type { ServiceFormat, ServiceSpec } from './service-spec.js';
import { templates } from './templates.js';

export interface RenderedFile {
  /** `main`: the service file; `env`: systemd's EnvironmentFile with the secrets. */
  role: 'main' | 'env';
  /** Fixed location for files the main file refers to (the env file); the main file's path is the installer's choice. */
  path?: string;
  /** 0600 when the file holds a secret, else 0644. */
  mode: number;
  content: string;
}

export interface RenderResult {
  format: ServiceFormat;
  files: RenderedFile[];
}

export interface RenderOptions {
  /** supervisord: only the `[program:…]` section, for a conf.d directory. */
  snippet?: boolean;
}

/** supervisord `startretries`: effectively unlimited, so the program never goes FATAL. */
export const SUPERVISORD_START_RETRIES = 2147483647;

const hasSecrets = (spec: ServiceSpec) => Object.keys(spec.secretEnv).length > 0;
export const fileMode = (secret: boolean) => (secret ? 0o600 : 0o644);

/** Renders a service spec; throws UnrepresentableValueError for values the format cannot carry. */
export async function render(format: ServiceFormat, spec: ServiceSpec, options: RenderOptions = {}): Promise<RenderResult> {
  switch (format) {
    case 'supervisord':
      return { format, files: [{ role: 'main', mode: fileMode(hasSecrets(spec)), content: renderSupervisord(spec, options) }] };
    case 'systemd':
      return { format, files: renderSystemd(spec) };
    case 'launchd':
      return { format, files: [{ role: 'main', mode: fileMode(hasSecrets(spec)), content: await renderLaunchd(spec) }] };
    default:
      throw new Error(`unknown service format ${String(format)}`);
  }
}

function renderSupervisord(spec: ServiceSpec, options: RenderOptions): string {
  const path = (value: string, field: string) => supervisordValue(value, field, { path: true });
  const logPath = (value: string, field: string) => supervisordValue(value, field, { path: true, noPercent: true });
  const view = {
    snippet: options.snippet ?? false,
    description: supervisordValue(spec.description, 'description'),
    name: supervisordProgramName(spec.name),
    command: supervisordCommand(spec.argv, spec.argvSources),
    directory: path(spec.cwd, 'working directory'),
    user: spec.scope === 'system' && spec.user ? supervisordValue(spec.user, 'user') : undefined,
    environment: supervisordEnvironment({ ...spec.env, ...spec.secretEnv }, spec.secretSources),
    startsecs: spec.restart.delaySec,
    startretries: SUPERVISORD_START_RETRIES,
    stopsignal: spec.stop.signal,
    stopwaitsecs: spec.stop.timeoutSec,
    stdoutLogfile: logPath(spec.logs.stdout, 'stdout log file'),
    stderrLogfile: logPath(spec.logs.stderr, 'stderr log file'),
    maxBytes: spec.logs.maxBytes,
    backups: spec.logs.backups,
    stateDir: path(spec.supervisord.stateDir, 'supervisord state directory'),
    socket: path(spec.supervisord.socket, 'supervisord socket'),
    pidfile: path(spec.supervisord.pidfile, 'supervisord pid file'),
    logfile: path(spec.supervisord.logfile, 'supervisord log file'),
  };
  const t = templates();
  return options.snippet ? t['supervisord-program'](view) : t['supervisord.conf'](view);
}
