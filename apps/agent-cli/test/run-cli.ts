import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The real `prefect` binary (built dist), as a user runs it. */
export const BIN = join(__dirname, '..', 'bin', 'run.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliResult {
  // Plain output, as when piped: Nx sets FORCE_COLOR for its tasks, which would win over NO_COLOR.
  const { FORCE_COLOR: _forced, ...inherited } = process.env;
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...inherited, NO_COLOR: '1', ...env },
    timeout: 30_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Parsed CLI and webhook JSON, checked field by field with expect(). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface AsyncCliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const homeDir = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix));

/** The built `prefect` as a child process, asynchronously (for tests that run a control plane in-process). */
export function prefectAsync(args: string[], home: string): Promise<AsyncCliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { PATH: process.env.PATH, HOME: home, NO_COLOR: '1' }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

export const parseJson = <T = Json>(r: AsyncCliResult): T => {
  try {
    return JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
};

/** oclif wraps messages at 80 columns when piped: join the lines again. */
export const unwrap = (text: string): string => text.replace(/\s*\n\s*›\s*/g, ' ');

export async function gql<T = Json>(url: string, query: string, variables?: Record<string, unknown>): Promise<T> {
  const res = await fetch(`${url}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  const body = (await res.json()) as { data?: T; errors?: unknown[] };
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data as T;
}
