import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceSpec } from '../service-spec.js';

/** The real parsers the tests read our output back with. Missing tools fail the suite under CI=true. */
export const PYTHON = '/usr/bin/python3';
export const SYSTEMD_ANALYZE = '/usr/bin/systemd-analyze';
export const PLISTUTIL = '/usr/bin/plistutil';

export function toolAvailable(name: 'supervisor' | 'systemd-analyze' | 'plistutil'): boolean {
  let ok: boolean;
  if (name === 'supervisor') ok = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import supervisor.options'], { stdio: 'ignore' }).status === 0;
  else ok = existsSync(name === 'plistutil' ? PLISTUTIL : SYSTEMD_ANALYZE);
  if (!ok && process.env['CI'] === 'true') {
    throw new Error(`${name} is required under CI=true: apt-get install -y supervisor libplist-utils systemd`);
  }
  return ok;
}

/** `describe` when the tool exists; otherwise (never under CI) a skipped block. */
export const describeWith = (tool: Parameters<typeof toolAvailable>[0]) => (toolAvailable(tool) ? describe : describe.skip);

export interface SupervisorParsed {
  error?: string;
  daemon: null | Record<string, unknown>;
  programs: Record<string, { argv: string[]; environment: Record<string, string> | null; directory: string | null } & Record<string, unknown>>;
}

export function supervisorParse(file: string, snippet = false): SupervisorParsed {
  const out = spawnSync(PYTHON, [join(__dirname, 'supervisor_parse.py'), file, ...(snippet ? ['--snippet'] : [])], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONIOENCODING: 'utf-8', PYTHONUTF8: '1' },
  });
  if (!out.stdout) throw new Error(`supervisor_parse.py failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as SupervisorParsed;
}

export function plistutilToJson(file: string): string {
  return execFileSync(PLISTUTIL, ['-i', file, '-f', 'json'], { encoding: 'utf8' });
}

/** Moves every file the daemon must create (logs, socket, pid) under a fresh temp dir that exists. */
export function withTempPaths(spec: ServiceSpec, dirName = 'state dir'): ServiceSpec {
  const state = join(mkdtempSync(join(tmpdir(), 'svc-')), dirName);
  const logs = join(state, 'logs');
  mkdirSync(logs, { recursive: true });
  return {
    ...spec,
    logs: { ...spec.logs, dir: logs, stdout: join(logs, 'agent.out.log'), stderr: join(logs, 'agent.err.log') },
    supervisord: { stateDir: state, socket: join(state, 'supervisor.sock'), pidfile: join(state, 'supervisord.pid'), logfile: join(logs, 'supervisord.log') },
  };
}
