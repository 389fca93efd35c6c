import { spawn } from 'node:child_process';
import { createLogger } from '../logging/logger.js';
import { loadReaperAddon, type ReaperAddon } from './reaper-native.js';
import { readStat, zombieChildren } from './reaper-proc.js';
import { Reaper, reaperMode } from './reaper.js';
import { ownChild } from './reaper-registry.js';

describe('reaperMode', () => {
  it('is on for PID 1 unless switched off; subreaper only on request', () => {
    expect(reaperMode({}, 1)).toBe('pid1');
    expect(reaperMode({ PREFECT_TS_REAPER: 'off' }, 1)).toBe('off');
    expect(reaperMode({}, 4242)).toBe('off');
    expect(reaperMode({ PREFECT_TS_REAPER: 'subreaper' }, 4242)).toBe('subreaper');
    expect(reaperMode({ PREFECT_TS_REAPER: 'subreaper' }, 1)).toBe('pid1');
  });
});

const waitFor = async (probe: () => boolean, ms = 5000) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

// Real processes: this Jest worker becomes a child subreaper for one test, so a grandchild
// whose parent exits is re-parented to it, exactly as to a PID-1 agent.
(process.platform === 'linux' ? describe : describe.skip)('Reaper (real orphans, this worker as subreaper)', () => {
  let addon: ReaperAddon;
  beforeAll(() => {
    addon = loadReaperAddon(); // the build must have produced it: fail, do not skip
    expect(addon.setChildSubreaper(true)).toBe(true);
  });
  afterAll(() => addon?.setChildSubreaper(false));

  it('reaps orphaned zombies but never a child libuv owns', async () => {
    const lines: string[] = [];
    const logger = createLogger({ name: 't', level: 'DEBUG', sink: (_l, line) => lines.push(line) });
    // The leader prints the orphan's pid, exits at once; the orphan exits a moment later.
    const leader = spawn('sh', ['-c', '(sleep 0.2; exit 3) & echo $!; exit 0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    ownChild(leader);
    let out = '';
    leader.stdout.on('data', (c: Buffer) => (out += c.toString()));
    await new Promise((r) => leader.once('close', r));
    const orphan = Number(out.trim());
    // An owned child that stays a zombie until libuv reaps it (its 'exit' comes from libuv).
    const owned = spawn('sleep', ['0.1']);
    ownChild(owned);
    const ownedExit = new Promise<number | null>((r) => owned.once('exit', (code) => r(code)));
    await waitFor(() => zombieChildren(process.pid).some((z) => z.pid === orphan));
    const reaper = new Reaper({ logger, addon });
    expect(reaper.reapNow()).toBe(1);
    expect(readStat(orphan)).toBeUndefined();
    expect(lines.join('\n')).toMatch(new RegExp(`Reaped orphaned process ${orphan} \\(sh, wait status ${3 << 8}\\)`));
    expect(await ownedExit).toBe(0);
  });

  // (Jest's sandboxed `process` never delivers signals, so this exercises the interval; the
  // SIGCHLD path runs in the real CLI agent: tools/e2e/test/pid1.e2e.test.ts.)
  it('started, it keeps reaping until stopped', async () => {
    const logger = createLogger({ name: 't', sink: () => undefined });
    const reaper = new Reaper({ logger, addon, intervalMs: 50 }).start();
    try {
      const leader = spawn('sh', ['-c', '(sleep 0.1 &) ; (sleep 0.1 &) ; exit 0']);
      ownChild(leader);
      await new Promise((r) => leader.once('exit', r));
      await waitFor(() => reaper.count === 2, 3000);
      expect(zombieChildren(process.pid)).toEqual([]);
    } finally {
      reaper.stop();
    }
  });

  it('refuses pid <= 0 (that would reap any child, libuv\'s too)', () => {
    expect(() => addon.waitpidNoHang(-1)).toThrow(/positive integer/);
    expect(() => addon.waitpidNoHang(0)).toThrow(/positive integer/);
    expect(addon.waitpidNoHang(process.pid)).toBeNull();
  });
});
