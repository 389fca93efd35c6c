import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The fields of `/proc/<pid>/stat` the reaper needs. */
export interface ProcStat {
  pid: number;
  /** The command name without its parentheses (may itself contain spaces and parentheses). */
  comm: string;
  /** R, S, D, Z (zombie), T, t, X, I, ... */
  state: string;
  ppid: number;
}

/**
 * Parses one `/proc/<pid>/stat` line. `comm` is whatever the process named itself, in
 * parentheses, spaces and `)` included, so the fields after it start after the *last* `)`.
 */
export function parseStat(text: string): ProcStat | undefined {
  const open = text.indexOf('(');
  const close = text.lastIndexOf(')');
  if (open < 0 || close < open) return undefined;
  const pid = Number(text.slice(0, open).trim());
  const rest = text.slice(close + 1).trim().split(/\s+/);
  const ppid = Number(rest[1]);
  if (!Number.isInteger(pid) || !rest[0] || !Number.isInteger(ppid)) return undefined;
  return { pid, comm: text.slice(open + 1, close), state: rest[0], ppid };
}

export function readStat(pid: number, procRoot = '/proc'): ProcStat | undefined {
  try {
    return parseStat(readFileSync(path.join(procRoot, String(pid), 'stat'), 'utf8'));
  } catch {
    return undefined; // gone (reaped by someone else) or unreadable
  }
}

const numeric = (names: string[]): number[] => names.filter((n) => /^\d+$/.test(n)).map(Number);

/**
 * Pids that may be children of `parent`: the `children` lists of its threads (cheap, needs
 * CONFIG_PROC_CHILDREN, which every mainstream kernel has), else every process in `procRoot`.
 * Orphans are re-parented to some thread of the reaper, so every thread's list is read.
 */
export function candidateChildren(parent: number, procRoot = '/proc'): number[] {
  try {
    const taskDir = path.join(procRoot, String(parent), 'task');
    const pids = new Set<number>();
    for (const tid of numeric(readdirSync(taskDir))) {
      const list = readFileSync(path.join(taskDir, String(tid), 'children'), 'utf8');
      for (const p of list.split(/\s+/)) if (p) pids.add(Number(p));
    }
    return [...pids];
  } catch {
    try {
      return numeric(readdirSync(procRoot));
    } catch {
      return [];
    }
  }
}

/** Children of `parent` that are zombies (state Z): exited, waiting for `parent` to reap them. */
export function zombieChildren(parent: number, procRoot = '/proc'): ProcStat[] {
  const zombies: ProcStat[] = [];
  for (const pid of candidateChildren(parent, procRoot)) {
    const stat = readStat(pid, procRoot);
    if (stat && stat.state === 'Z' && stat.ppid === parent) zombies.push(stat);
  }
  return zombies;
}
