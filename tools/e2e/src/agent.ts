import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalAgent, type LocalAgentOptions, type LocalAgentResult } from '@prefect-ts/agent-core';
import { REPO_ROOT, waitFor } from './processes';

export interface RunningAgent {
  agent: LocalAgent;
  lines: string[];
  done: Promise<LocalAgentResult>;
  /** Graceful stop and wait for the end. */
  stop(graceful?: boolean): Promise<LocalAgentResult>;
}

/** A real LocalAgent in this process, logging into `lines`. */
export function startAgent(api: string, options: Partial<LocalAgentOptions> = {}): RunningAgent {
  const lines: string[] = [];
  const agent = new LocalAgent({
    api,
    labels: [],
    hostnameLabel: false,
    heartbeatIntervalMs: 300,
    killGraceMs: 1000,
    stopTimeout: 5,
    level: 'DEBUG',
    agentEnv: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp' },
    startUpBackoff: { baseMs: 100, capMs: 500 },
    ...options,
    settings: { api, name: 'agent', labels: [], env: {}, agentAddress: '', sendFlowRunLogs: true, level: 'DEBUG', importPaths: [], showFlowLogs: false, hostnameLabel: false, stopTimeout: 5 },
    sink: (_level, line) => lines.push(line),
    flowLogSink: (line) => lines.push(line),
  });
  const done = agent.start();
  done.catch(() => undefined);
  return {
    agent,
    lines,
    done,
    stop: async (graceful = true) => {
      agent.stop({ graceful });
      return done;
    },
  };
}

export const CLI = path.join(REPO_ROOT, 'apps', 'agent-cli', 'bin', 'run.js');

export interface CliAgent {
  child: ChildProcess;
  output: string[];
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<string>;
}

/** The real `prefect agent local start` (built CLI) as a child process. */
export function startCliAgent(args: string[], env: NodeJS.ProcessEnv = {}): CliAgent {
  const child = spawn(process.execPath, [CLI, 'agent', 'local', 'start', ...args], {
    env: { PATH: process.env.PATH, HOME: mkdtempSync(path.join(tmpdir(), 'agent-home-')), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const collect = (chunk: Buffer) => output.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output,
    exit,
    waitForLine: (pattern, timeoutMs = 15_000) => waitFor(() => output.find((l) => pattern.test(l)), timeoutMs, `a line matching ${pattern}`),
  };
}
