import { launch } from '../../src/process/launcher';
import { ProcessExitError } from '../../src/errors';
import { fixture, survivors, waitFor } from '../../src/testing/processes';

const node = process.execPath;

describe('launcher (real children)', () => {
  it('runs a child in its own process group and reports code 0 without an error', async () => {
    const lines: string[] = [];
    const child = await launch({ file: node, args: [fixture('exit-with.js'), '0', 'hello', 'world'], env: { PATH: process.env.PATH ?? '' }, onLine: (s, l) => lines.push(`${s}:${l}`) });
    expect(child.pgid).toBe(child.pid);
    const info = await child.exited;
    expect(info).toEqual({ exitCode: 0, signal: undefined, error: undefined });
    expect(lines).toEqual(expect.arrayContaining(['stdout:hello world', 'stderr:exiting with 0']));
  });

  it('maps a non-zero exit to ProcessExitError with the code', async () => {
    const child = await launch({ file: node, args: [fixture('exit-with.js'), '3'], env: {} });
    const info = await child.exited;
    expect(info.exitCode).toBe(3);
    expect(info.error).toBeInstanceOf(ProcessExitError);
    expect(info.error?.childExitCode).toBe(3);
    expect(info.error?.message).toBe('Process exited with code 3');
  });

  it('rejects with a clear error when the command does not exist', async () => {
    await expect(launch({ file: 'no-such-command-prefect-ts', args: [], env: { PATH: process.env.PATH ?? '' } })).rejects.toMatchObject({
      code: 'COMMAND_NOT_FOUND',
      message: 'Command not found: no-such-command-prefect-ts',
    });
  });

  it('terminates the whole group, grandchildren included, escalating to SIGKILL', async () => {
    const lines: string[] = [];
    const child = await launch({ file: node, args: [fixture('spawns-grandchild.js')], env: {}, onLine: (_s, l) => lines.push(l) });
    const grandchild = Number((await waitFor(() => lines.find((l) => l.startsWith('grandchild')), 5000, 'grandchild pid')).split(' ')[1]);
    expect(survivors({ pids: [grandchild] })[0]?.pgid).toBe(child.pgid);
    const info = await child.terminate(500);
    expect(info.signal).toBe('SIGTERM');
    expect(info.error?.message).toBe('Process was terminated by signal SIGTERM');
    await waitFor(() => survivors({ pgids: [child.pgid] }).length === 0, 5000, 'group to disappear');
    expect(survivors({ pgids: [child.pgid], pids: [child.pid, grandchild] })).toEqual([]);
  });

  it('SIGKILLs a child that ignores SIGTERM after the grace period', async () => {
    const lines: string[] = [];
    const child = await launch({ file: node, args: [fixture('forever.js'), '--ignore-term'], env: {}, onLine: (_s, l) => lines.push(l) });
    await waitFor(() => lines.some((l) => l.startsWith('forever')), 5000, 'start');
    const info = await child.terminate(300);
    expect(info.signal).toBe('SIGKILL');
    expect(lines).toContain('ignoring SIGTERM');
  });

  it('ends grandchildren left behind when the leader exits (no orphan)', async () => {
    const lines: string[] = [];
    const child = await launch({ file: node, args: [fixture('spawns-grandchild.js'), '--exit'], env: {}, onLine: (_s, l) => lines.push(l), sweepGraceMs: 500 });
    const info = await child.exited;
    expect(info.exitCode).toBe(0);
    const grandchild = Number(lines.find((l) => l.startsWith('grandchild'))?.split(' ')[1]);
    expect(grandchild).toBeGreaterThan(0);
    await waitFor(() => survivors({ pids: [grandchild] }).every((r) => r.stat.startsWith('Z')), 5000, 'grandchild gone');
    expect(survivors({ pids: [grandchild] }).filter((r) => !r.stat.startsWith('Z'))).toEqual([]);
  });

  it('streams huge output line by line without buffering it', async () => {
    let count = 0;
    let longest = 0;
    const child = await launch({ file: node, args: [fixture('huge-output.js'), '100000'], env: {}, onLine: (_s, l) => { count += 1; longest = Math.max(longest, l.length); } });
    await child.exited;
    expect(count).toBe(100000);
    expect(longest).toBeLessThanOrEqual(102);
  });

  it('splits an endless line into bounded pieces', async () => {
    let longest = 0;
    let pieces = 0;
    const child = await launch({ file: node, args: [fixture('huge-output.js'), '0', '--endless', '--no-newline'], env: {}, onLine: (_s, l) => { pieces += 1; longest = Math.max(longest, l.length); } });
    await waitFor(() => pieces > 50, 10_000, 'pieces');
    await child.terminate(200);
    expect(longest).toBeLessThanOrEqual(16_384);
  });
});
