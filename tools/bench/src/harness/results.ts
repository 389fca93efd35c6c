import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './processes';
import { loadAverage } from './procs';

/** One measured row: what, value, unit, target and whether it was met (undefined = no target). */
export interface ResultRow {
  scenario: string;
  metric: string;
  value: number | string;
  unit: string;
  target?: string;
  met?: boolean;
  note?: string;
}

export function machine(): Record<string, unknown> {
  return {
    cpu: os.cpus()[0]?.model,
    cores: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    kernel: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: loadAverage(),
  };
}

/** Prints an aligned table. */
export function printTable(rows: ResultRow[], out: (line: string) => void = (l) => process.stdout.write(`${l}\n`)): void {
  const cells = rows.map((r) => [r.scenario, r.metric, `${r.value} ${r.unit}`.trim(), r.target ?? '', r.met === undefined ? '' : r.met ? 'met' : 'NOT MET', r.note ?? '']);
  const head = ['scenario', 'metric', 'value', 'target', '', 'note'];
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const fmt = (c: string[]) => c.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  out(fmt(head));
  out(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const c of cells) out(fmt(c));
}

/** Writes `file` (default bench/results.json at the repo root, gitignored), merging with rows of other runs already there (same scenario + metric = replaced). */
export function writeResults(kind: 'bench' | 'chaos', rows: ResultRow[], extra: Record<string, unknown> = {}, file = path.join(REPO_ROOT, 'bench', 'results.json')): string {
  mkdirSync(path.dirname(file), { recursive: true });
  let previous: { rows?: ResultRow[]; runs?: Record<string, unknown> } = {};
  try {
    previous = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    previous = {};
  }
  const replaced = new Set(rows.map((r) => `${r.scenario}\u0000${r.metric}`));
  const merged = [...(previous.rows ?? []).filter((r) => !replaced.has(`${r.scenario}\u0000${r.metric}`)), ...rows];
  const runs = { ...(previous.runs ?? {}), [kind]: { at: new Date().toISOString(), machine: machine(), ...extra } };
  writeFileSync(file, `${JSON.stringify({ runs, rows: merged }, null, 2)}\n`);
  return file;
}
