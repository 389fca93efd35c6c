import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface PsRow {
  pid: number;
  pgid: number;
  ppid: number;
  stat: string;
  cmd: string;
}

/** `ps -e` parsed (pid, pgid, ppid, stat, args). */
export function psTable(): PsRow[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,ppid=,stat=,args='], { encoding: 'utf8' });
  const rows: PsRow[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (m) rows.push({ pid: Number(m[1]), pgid: Number(m[2]), ppid: Number(m[3]), stat: m[4], cmd: m[5] });
  }
  return rows;
}

/** Every descendant of `pid` (children, grandchildren...). */
export function descendants(pid: number, table = psTable()): PsRow[] {
  const out: PsRow[] = [];
  const queue = [pid];
  while (queue.length) {
    const parent = queue.shift() as number;
    for (const row of table) {
      if (row.ppid === parent) {
        out.push(row);
        queue.push(row.pid);
      }
    }
  }
  return out;
}

/** `<defunct>` children of `pid` not yet reaped. */
export const zombiesOf = (pid: number, table = psTable()): PsRow[] => table.filter((r) => r.ppid === pid && r.stat.startsWith('Z'));

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Resident set size in bytes (/proc/<pid>/status VmRSS). */
export function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+)\s+kB/.exec(status);
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

const CLK_TCK = 100;

/** CPU time (user + system) used so far by `pid`, in milliseconds. */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state); utime = field 14, stime = field 15.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLK_TCK;
}

export function loadAverage(): number[] {
  return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).map(Number);
}
