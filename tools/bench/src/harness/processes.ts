import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { AGENT_NODE_FLAGS } from '@prefect-ts/agent-core';
import pg from 'pg';
import { nowMs, waitFor } from './stats';

export const REPO_ROOT = path.join(__dirname, '..', '..', '..', '..');
/** The real `prefect` CLI (built). */
export const CLI = path.join(REPO_ROOT, 'apps', 'agent-cli', 'bin', 'run.js');
export const DATABASE_URL = process.env.PREFECT_TS_TEST_DATABASE_URL ?? 'postgres://prefect:prefect@127.0.0.1:5432/prefect_test';

export type StoreKind = 'sqlite' | 'postgres';

/** Where a server keeps its data: a fresh tmp dir (SQLite) or a fresh PostgreSQL database. */
export interface StoreLocation {
  kind: StoreKind;
  dataDir: string;
  databaseUrl?: string;
  dispose(): Promise<void>;
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: DATABASE_URL });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh store for one server: a tmp dir, and for PostgreSQL a new database (`<prefix>_<random>`). */
export async function newStore(kind: StoreKind, prefix = 'bench'): Promise<StoreLocation> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `prefect-${prefix}-`));
  if (kind === 'sqlite') return { kind, dataDir, dispose: async () => rmSync(dataDir, { recursive: true, force: true }) };
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  await admin((c) => c.query(`CREATE DATABASE ${name}`));
  const url = new URL(DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    kind,
    dataDir,
    databaseUrl: url.toString(),
    dispose: async () => {
      rmSync(dataDir, { recursive: true, force: true });
      await admin(async (c) => {
        await c.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
        await c.query(`DROP DATABASE IF EXISTS ${name}`);
      });
    },
  };
}

export interface Proc {
  child: ChildProcess;
  pid: number;
  output: string[];
  /** When the first line matching `pattern` arrived (the nowMs() clock); throws if none did. */
  lineAt(pattern: RegExp): number;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly exited: boolean;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Signal, then wait for the exit (SIGKILL after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Every child process started here, so a crashed benchmark can still clean up. */
const live = new Set<Proc>();
process.on('exit', () => killAll());

export function spawnNode(args: string[], env: NodeJS.ProcessEnv = {}): Proc {
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const arrivedAt: number[] = [];
  let partial = '';
  const collect = (chunk: Buffer) => {
    const at = nowMs();
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) {
      if (!l) continue;
      output.push(l);
      arrivedAt.push(at);
    }
    if (output.length > 5000) {
      output.splice(0, output.length - 5000);
      arrivedAt.splice(0, arrivedAt.length - 5000);
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited = false;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      exited = true;
      live.delete(proc);
      resolve({ code, signal });
    }),
  );
  const proc: Proc = {
    child,
    pid: child.pid as number,
    output,
    lineAt: (pattern) => {
      const i = output.findIndex((l) => pattern.test(l));
      if (i < 0) throw new Error(`no line matching ${pattern} was printed (or it was dropped with the oldest output)`);
      return arrivedAt[i];
    },
    exit,
    get exited() {
      return exited;
    },
    waitForLine: (pattern, timeoutMs = 20_000) =>
      waitFor(() => output.find((l) => pattern.test(l)) ?? (exited ? Promise.reject(new Error(`process exited before printing ${pattern}:\n${output.slice(-20).join('\n')}`)) : undefined), timeoutMs, `a line matching ${pattern}`, 5),
    stop: async (signal = 'SIGTERM', timeoutMs = 15_000) => {
      if (!exited) child.kill(signal);
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
  live.add(proc);
  return proc;
}

/** SIGKILLs every process started by the harness that is still running. */
export function killAll(): void {
  for (const p of live) if (!p.exited) p.child.kill('SIGKILL');
}

export interface ServerProc extends Proc {
  url: string;
  port: number;
  /** spawn → "listening" printed, in ms */
  startMs: number;
}

/** `prefect server start` as its own process; resolves when it listens. */
export async function startServer(store: StoreLocation, options: { port?: number; env?: NodeJS.ProcessEnv } = {}): Promise<ServerProc> {
  const args = [CLI, 'server', 'start', '--port', String(options.port ?? 0), '--data-dir', store.dataDir];
  if (store.databaseUrl) args.push('--database-url', store.databaseUrl);
  const t0 = nowMs();
  const proc = spawnNode(args, options.env);
  const line = await proc.waitForLine(/listening on (http:\/\/\S+)/, 60_000);
  const startMs = proc.lineAt(/listening on/) - t0;
  const url = /listening on (http:\/\/\S+)/.exec(line)?.[1] as string;
  return Object.assign(proc, { url, port: Number(new URL(url).port), startMs });
}

export interface AgentProc extends Proc {
  home: string;
  /** exec → "Waiting for flow runs..." printed (registered, its first claim about to go), in ms */
  readyMs: number;
}

/** `prefect agent local start` (the real CLI) as its own process; resolves when it waits for runs. */
export async function startAgent(api: string, args: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<AgentProc> {
  const home = mkdtempSync(path.join(tmpdir(), 'bench-agent-home-'));
  // run as `agent local install` runs it: with the service files' node flags
  const t0 = nowMs();
  const proc = spawnNode([...AGENT_NODE_FLAGS, CLI, 'agent', 'local', 'start', '--api', api, '--no-hostname-label', ...args], { HOME: home, ...env });
  await proc.waitForLine(/Waiting for flow runs/, 30_000);
  const readyMs = proc.lineAt(/Waiting for flow runs/) - t0;
  return Object.assign(proc, { home, readyMs });
}
