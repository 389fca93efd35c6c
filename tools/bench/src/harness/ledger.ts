import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * An O_APPEND file every run's command writes one line to: `<run id> <attempt-ish> <epoch µs>`.
 * Lines are shorter than PIPE_BUF, so concurrent appends never interleave.
 */
export class Ledger {
  readonly file: string;

  constructor(dir = mkdtempSync(path.join(tmpdir(), 'bench-ledger-'))) {
    this.file = path.join(dir, 'ledger');
    closeSync(openSync(this.file, 'a'));
  }

  /** `bash -c` that appends `<flow run id> <tag> <epoch µs>` (bash's $EPOCHREALTIME: no extra fork), then runs `then`. */
  argv(tag = 'start', then = ''): string[] {
    const line = `echo "$PREFECT__CONTEXT__FLOW_RUN_ID ${tag} $EPOCHREALTIME $$" >> '${this.file}'`;
    return ['/bin/bash', '-c', then ? `${line}; ${then}` : line];
  }

  lines(): { id: string; tag: string; atMs: number; pid: number }[] {
    if (!existsSync(this.file)) return [];
    const lines = readFileSync(this.file, 'utf8').split('\n');
    lines.pop(); // the last element is '' or a line still being written
    return lines
      .filter(Boolean)
      .map((l) => {
        const [id, tag, t, pid] = l.split(' ');
        return { id, tag, atMs: Number(t.replace(',', '.')) * 1000, pid: Number(pid) };
      });
  }

  /** Ids seen more than once with `tag`, and how many distinct ids were seen. */
  check(tag = 'start'): { distinct: number; duplicates: string[]; counts: Map<string, number> } {
    const counts = new Map<string, number>();
    for (const l of this.lines()) if (l.tag === tag) counts.set(l.id, (counts.get(l.id) ?? 0) + 1);
    return { distinct: counts.size, duplicates: [...counts].filter(([, n]) => n > 1).map(([id]) => id), counts };
  }
}
