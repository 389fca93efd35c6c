import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const FIXTURES = path.join(__dirname, 'fixtures');
export const fixture = (name: string): string => path.join(FIXTURES, name);

export interface PsRow {
  pid: number;
  pgid: number;
  ppid: number;
  stat: string;
  cmd: string;
}

/** `ps -e -o pid,pgid,ppid,stat,cmd` parsed. */
export function psTable(): PsRow[] {
  const out = execFileSync('ps', ['-e', '-o', 'pid=,pgid=,ppid=,stat=,args='], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => {
      const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(l);
      if (!m) throw new Error(`unparsable ps line: ${l}`);
      return { pid: Number(m[1]), pgid: Number(m[2]), ppid: Number(m[3]), stat: m[4], cmd: m[5] };
    });
}

/** Processes still present (zombies included) among `pids` or in group `pgid`. */
export function survivors(options: { pids?: number[]; pgids?: number[] }): PsRow[] {
  return psTable().filter((r) => options.pids?.includes(r.pid) || options.pgids?.includes(r.pgid));
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 10_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
