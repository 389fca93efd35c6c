import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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

export interface VerifyResult {
  status: number | null;
  stderr: string;
}

/** `systemd-analyze verify` on a unit in its own temp dir; `dump` adds the debug dump of the loaded unit. */
export function systemdVerify(unitText: string, name = 'prefect-agent.service', dump = false): VerifyResult {
  const dir = mkdtempSync(join(tmpdir(), 'unit-'));
  writeFileSync(join(dir, name), unitText);
  const out = spawnSync(SYSTEMD_ANALYZE, ['verify', '--man=no', '--generators=no', `./${name}`], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SYSTEMD_LOG_LEVEL: dump ? 'debug' : 'notice', SYSTEMD_COLORS: '0', SYSTEMD_PAGER: 'cat' },
  });
  return { status: out.status, stderr: dump ? `${out.stdout}\n${out.stderr}` : out.stderr };
}

/**
 * What systemd itself loaded, from verify's debug dump: the ExecStart argv (systemd quotes it with
 * shell-style escapes; `$$` is still unexpanded there, as systemd stores it until exec), and the
 * Environment=/WorkingDirectory=/EnvironmentFile= values.
 */
export function systemdLoaded(dumpText: string): { argv: string[]; env: Record<string, string>; workingDirectory?: string; environmentFile?: string } {
  const lines = dumpText.split('\n');
  const cmd = lines.find((l) => /^\s+Command Line: /.test(l));
  if (!cmd) throw new Error(`no Command Line in dump:\n${dumpText.slice(-3000)}`);
  const env: Record<string, string> = {};
  let workingDirectory: string | undefined;
  let environmentFile: string | undefined;
  for (const l of lines) {
    let m = /^\t\tEnvironment: (.*)$/.exec(l);
    if (m) {
      const eq = m[1]!.indexOf('=');
      env[m[1]!.slice(0, eq)] = m[1]!.slice(eq + 1);
    }
    m = /^\t\tWorkingDirectory: (.*)$/.exec(l);
    if (m) workingDirectory = m[1];
    m = /^\t\tEnvironmentFile: (.*)$/.exec(l);
    if (m) environmentFile = m[1];
  }
  const argv = dumpShellSplit(cmd.replace(/^\s+Command Line: /, '')).map((w) => w.replace(/\$\$/g, '$'));
  return { argv, env, workingDirectory, environmentFile };
}

const C_ESC: Record<string, string> = { t: '\t', n: '\n', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v' };
function dumpShellSplit(s: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < s.length) {
    while (s[i] === ' ') i++;
    if (i >= s.length) break;
    let w = '';
    let q = false;
    for (; i < s.length && (q || s[i] !== ' '); i++) {
      const c = s[i]!;
      if (c === '"') q = !q;
      else if (c === '\\') {
        const n = s[++i]!;
        if (n === 'x') { w += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16)); i += 2; }
        else w += C_ESC[n] ?? n;
      } else w += c;
    }
    words.push(w);
  }
  return words;
}

/** Python's plistlib (Apple-compatible XML parser) → JSON. */
export function plistlibLoad(file: string): unknown {
  const out = spawnSync(PYTHON, ['-c', 'import json,plistlib,sys; json.dump(plistlib.load(open(sys.argv[1],"rb")), sys.stdout, ensure_ascii=False)', file], { encoding: 'utf8' });
  if (out.status !== 0) throw new Error(out.stderr);
  return JSON.parse(out.stdout);
}

/** libplist (plistutil) parses our XML and writes binary; read that back with `plist.parseBinary`. */
export function plistutilToBinary(file: string): Buffer {
  const bin = `${file}.bin`;
  execFileSync(PLISTUTIL, ['-i', file, '-o', bin, '-f', 'bin']);
  return readFileSync(bin);
}
