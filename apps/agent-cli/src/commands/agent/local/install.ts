import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Flags } from '@oclif/core';
import {
  activationCommands,
  buildServiceSpec,
  checkInstalled,
  ensureDirectories,
  ExitCode,
  installService,
  serviceDirectories,
  UsageError,
  type CheckResult,
} from '@prefect-ts/agent-core/install';
import type { RenderResult, ServiceFormat, ServiceScope, ServiceSpec } from '@prefect-ts/install-templates';
import { BaseCommand } from '../../../base-command.js';
import { agentStartFlags, toStartFlags } from '../../../flags/agent-flags.js';

const FORMATS = ['supervisord', 'systemd', 'launchd'] as const;

export interface LocalInstallResult {
  format: ServiceFormat;
  scope: ServiceScope;
  /** Printed (no --output), written (--output) or checked (--check). */
  files: { path?: string; role: 'main' | 'env'; mode: string; content?: string; bytes?: number }[];
  directories: string[];
  actions: string[];
  check?: CheckResult;
}

export default class LocalInstall extends BaseCommand {
  static override summary = 'Generate a supervisord, systemd or launchd service for a local agent';
  static override description =
    'Takes every flag of `agent local start` and renders a service that runs exactly that command (absolute node with the agent\'s heap flag --max-semi-space-size=2, absolute entry script, the flags in canonical form). Default: a complete supervisord.conf on stdout, so `prefect agent local install > supervisord.conf && supervisord -c supervisord.conf` works. The API key never goes on a command line: supervisord environment=, a 0600 systemd EnvironmentFile=, or the 0600 plist\'s EnvironmentVariables. Values a format cannot carry exactly are refused, never altered. --check compares an installed file with what the flags render now (exit 6 on drift).';
  static override examples = [
    '<%= config.bin %> <%= command.id %> --label dev > supervisord.conf && supervisord -c supervisord.conf',
    '<%= config.bin %> <%= command.id %> --label dev --snippet --output /etc/supervisor/conf.d/prefect-agent.conf',
    '<%= config.bin %> <%= command.id %> --format systemd --scope user --label dev --output ~/.config/systemd/user/prefect-agent.service',
    '<%= config.bin %> <%= command.id %> --format launchd --label dev --output ~/Library/LaunchAgents/io.prefect-ts.prefect-agent.plist',
    '<%= config.bin %> <%= command.id %> --format systemd --label dev --check /etc/systemd/system/prefect-agent.service',
  ];
  static override flags = {
    ...agentStartFlags(),
    check: Flags.string({ summary: 'Compare this installed file with what the flags render now; exit 6 when it drifted.', helpGroup: 'INSTALL' }),
    force: Flags.boolean({ summary: 'Replace an existing --output file (the old one is kept as <file>.bak).', helpGroup: 'INSTALL' }),
    format: Flags.string({ summary: 'Service manager to render for. Default: supervisord (with --check: from the file name).', options: [...FORMATS], helpGroup: 'INSTALL' }),
    output: Flags.string({ summary: 'Write the service file here (atomically, refusing to overwrite without --force) instead of printing it.', helpGroup: 'INSTALL' }),
    scope: Flags.string({ summary: 'system: run by root / as a system service with User=; user: the per-user manager. Default: system when run as root, else user.', options: ['system', 'user'], helpGroup: 'INSTALL' }),
    snippet: Flags.boolean({ summary: 'supervisord only: print just the [program:…] section, for a conf.d directory.', helpGroup: 'INSTALL' }),
  };

  async run(): Promise<LocalInstallResult> {
    const { flags } = await this.parse(LocalInstall);
    const format = (flags.format ?? (flags.check ? formatOf(flags.check) : 'supervisord')) as ServiceFormat;
    const scope = (flags.scope ?? (process.getuid?.() === 0 ? 'system' : 'user')) as ServiceScope;
    if (flags.snippet && format !== 'supervisord') throw new UsageError(`--snippet only applies to --format supervisord, not ${format}`, { code: 'INSTALL_SNIPPET_FORMAT' });
    if (flags.check && flags.output) throw new UsageError('--check and --output cannot be combined', { code: 'INSTALL_CHECK_OUTPUT' });
    const snippet = flags.snippet || (flags.check !== undefined && format === 'supervisord' && !/^\s*\[supervisord\]/m.test(readFileSync(flags.check, 'utf8')));
    const startFlags = toStartFlags(flags);
    const spec = buildServiceSpec(startFlags, { format, scope, entryScript: join(this.config.root, 'bin', 'run.js'), output: flags.output ?? flags.check });
    const rendered = await renderOrExplain(format, spec, snippet);
    const main = rendered.files.find((f) => f.role === 'main')!;
    const result: LocalInstallResult = { format, scope, files: [], directories: [], actions: [] };

    if (flags.check) {
      const check = await checkInstalled(flags.check, rendered, spec);
      result.check = check;
      result.files = [{ path: flags.check, role: 'main', mode: mode(main.mode) }];
      if (!this.jsonEnabled()) this.log(check.drifted ? check.diff.join('\n') : `${flags.check}: no drift`);
      if (check.drifted) {
        if (this.jsonEnabled()) this.logJson(result);
        this.exitWith(ExitCode.DRIFT);
      }
      return result;
    }

    if (flags.output) {
      const written = installService(rendered, spec, { output: flags.output, force: flags.force });
      result.files = written.files;
      result.directories = written.directories;
      result.actions = activationCommands(format, spec, written.files[0]!.path, { snippet });
      if (!this.jsonEnabled()) {
        for (const f of written.files) this.logToStderr(`${f.replaced ? 'replaced' : 'wrote'} ${f.path} (mode ${f.mode}, ${f.bytes} bytes)`);
        for (const d of written.directories) this.logToStderr(`created ${d} (mode 0700)`);
        this.logToStderr(`Activate with:\n${result.actions.map((a) => `  ${a}`).join('\n')}`);
      }
      return result;
    }

    // Print mode: the file on stdout; the directories the service needs are created so it starts as printed.
    result.files = rendered.files.map((f) => ({ path: f.path, role: f.role, mode: mode(f.mode), content: f.content }));
    result.directories = format === 'systemd' ? [] : tryEnsure(serviceDirectories(spec), (m) => this.warn(m));
    result.actions = activationCommands(format, spec, format === 'supervisord' && !snippet ? 'supervisord.conf' : `<file>`, { snippet });
    if (!this.jsonEnabled()) {
      process.stdout.write(main.content);
      const env = rendered.files.find((f) => f.role === 'env');
      if (env) this.logToStderr(`note: the API key is not in the unit; it goes in ${env.path} (mode 0600). Use --output to write both files.`);
    }
    return result;
  }
}

const mode = (m: number) => `0${m.toString(8)}`;

function formatOf(file: string): ServiceFormat {
  if (file.endsWith('.service')) return 'systemd';
  if (file.endsWith('.plist')) return 'launchd';
  return 'supervisord';
}

function tryEnsure(dirs: string[], warn: (m: string) => void): string[] {
  try {
    return ensureDirectories(dirs);
  } catch (error) {
    warn(`could not create ${dirs.join(', ')}: ${(error as Error).message}; create them before starting the service`);
    return [];
  }
}

/** Renders; a value the format cannot carry becomes a usage error naming the flag and the formats that can carry it. */
async function renderOrExplain(format: ServiceFormat, spec: ServiceSpec, snippet: boolean): Promise<RenderResult> {
  const { render, UnrepresentableValueError } = await import('@prefect-ts/install-templates');
  try {
    return await render(format, spec, { snippet });
  } catch (error) {
    if (!(error instanceof UnrepresentableValueError)) throw error;
    const others: string[] = [];
    for (const f of FORMATS.filter((x) => x !== format)) {
      try {
        await render(f, spec);
        others.push(`--format ${f}`);
      } catch {
        /* not representable there either */
      }
    }
    const value = error.field.startsWith('--') && error.value.startsWith(`${error.field}=`) ? error.value.slice(error.field.length + 1) : error.value;
    const noun = { supervisord: 'a supervisord config', systemd: 'a systemd unit', launchd: 'a launchd plist' }[format];
    throw new UsageError(`${error.field} ${JSON.stringify(value)} cannot be written to ${noun}: ${error.reason}`, {
      code: error.code,
      suggestions: [
        'change the value',
        ...(others.length ? [`or use ${others.join(' or ')}, which can carry it exactly`] : []),
      ],
    });
  }
}
