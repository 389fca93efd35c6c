import { spawn, type ChildProcess } from 'node:child_process';
import { ProcessExitError } from '../errors.js';
import { LineSplitter } from './line-splitter.js';
import { groupAlive, signalGroup, terminateGroup } from './group.js';
import { ownChild } from './reaper-registry.js';

/** The one module that starts child processes. Every child leads its own process group. */
export interface LaunchOptions {
  file: string;
  args: readonly string[];
  cwd?: string;
  /** The complete environment (the agent's own env is not added). */
  env: Record<string, string>;
  onLine?: (stream: 'stdout' | 'stderr', line: string) => void;
  /** Grace before SIGKILL when the leader exited but group members linger. */
  sweepGraceMs?: number;
}

export interface ExitInfo {
  exitCode?: number;
  signal?: string;
  /** Set when the child did not end with code 0. */
  error?: ProcessExitError;
}

export interface LaunchedProcess {
  readonly pid: number;
  /** = pid: the child was spawned detached. */
  readonly pgid: number;
  /** Resolves after the leader exited, the rest of its group is gone and output is drained. */
  readonly exited: Promise<ExitInfo>;
  /** SIGTERM to the group, SIGKILL after `graceMs`; resolves when the run ended. */
  terminate(graceMs: number): Promise<ExitInfo>;
  /** SIGKILL to the group at once. */
  kill(): void;
}

/** Maps a spawn failure or an exit status to ProcessExitError (undefined for success). */
export function toProcessExitError(file: string, info: { exitCode?: number; signal?: string; code?: string; message?: string }): ProcessExitError | undefined {
  if (info.code === 'ENOENT') return new ProcessExitError(`Command not found: ${file}`, { code: 'COMMAND_NOT_FOUND' });
  if (info.code === 'EACCES') return new ProcessExitError(`Permission denied running ${file}`, { code: 'COMMAND_NOT_EXECUTABLE' });
  if (info.code) return new ProcessExitError(`Could not start ${file}: ${info.message ?? info.code}`, { code: 'SPAWN_FAILED' });
  if (info.signal) return new ProcessExitError(`Process was terminated by signal ${info.signal}`, { code: 'CHILD_SIGNALED', signal: info.signal });
  if (info.exitCode !== undefined && info.exitCode !== 0) {
    return new ProcessExitError(`Process exited with code ${info.exitCode}`, { code: 'CHILD_FAILED', childExitCode: info.exitCode });
  }
  return undefined;
}

function attach(stream: NodeJS.ReadableStream | null, name: 'stdout' | 'stderr', onLine?: LaunchOptions['onLine']): LineSplitter | undefined {
  if (!stream) return undefined;
  if (!onLine) {
    stream.resume();
    return undefined;
  }
  const splitter = new LineSplitter((line) => onLine(name, line));
  stream.on('data', (chunk: Buffer) => splitter.push(chunk));
  stream.on('end', () => splitter.end());
  return splitter;
}

/**
 * Starts a child in its own process group; rejects with ProcessExitError if it cannot start.
 * Plain `child_process.spawn` (no execa): on the dispatch path every millisecond and every
 * megabyte of agent RSS counts (libuv forks, so a spawn costs more the larger the agent is).
 */
export async function launch(options: LaunchOptions): Promise<LaunchedProcess> {
  const child: ChildProcess = spawn(options.file, [...options.args], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  ownChild(child); // libuv reaps it: the PID-1 reaper must not
  // 'close' = exited and both pipes drained (set up before anything can be missed)
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const started = await new Promise<NodeJS.ErrnoException | undefined>((resolve) => {
    child.once('spawn', () => resolve(undefined));
    child.once('error', (error: NodeJS.ErrnoException) => resolve(error));
  });
  if (started || child.pid === undefined) {
    child.stdout?.destroy();
    child.stderr?.destroy();
    throw toProcessExitError(options.file, { code: started?.code ?? 'SPAWN_FAILED', message: started?.message });
  }
  attach(child.stdout, 'stdout', options.onLine);
  attach(child.stderr, 'stderr', options.onLine);
  const pid = child.pid;
  const sweepGraceMs = options.sweepGraceMs ?? 2000;
  const leaderExit = new Promise<{ exitCode?: number; signal?: string }>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve({ exitCode: child.exitCode ?? undefined, signal: child.signalCode ?? undefined });
    else child.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined }));
  });
  const exited = (async (): Promise<ExitInfo> => {
    const status = await leaderExit;
    // Descendants left in the group would be orphaned and keep our pipes open: end them.
    if (groupAlive(pid)) await terminateGroup(pid, { graceMs: sweepGraceMs });
    await closed;
    return { ...status, error: toProcessExitError(options.file, status) };
  })();
  return {
    pid,
    pgid: pid,
    exited,
    terminate: async (graceMs) => {
      void terminateGroup(pid, { graceMs });
      return exited;
    },
    kill: () => {
      signalGroup(pid, 'SIGKILL');
    },
  };
}
