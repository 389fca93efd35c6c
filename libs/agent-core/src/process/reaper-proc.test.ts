import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { candidateChildren, parseStat, zombieChildren } from './reaper-proc.js';

// The tail of a real stat line after the ppid (pgrp, session, tty, ...).
const tail = '4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 123 0 0';
const line = (pid: number, comm: string, state: string, ppid: number) => `${pid} (${comm}) ${state} ${ppid} ${tail}\n`;

describe('parseStat', () => {
  it('reads pid, comm, state and ppid', () => {
    expect(parseStat(line(77, 'sleep', 'Z', 1))).toEqual({ pid: 77, comm: 'sleep', state: 'Z', ppid: 1 });
  });

  it('handles comm names with spaces and parentheses (fields start after the last ")")', () => {
    expect(parseStat(line(9, 'my flow) Z 1 (x', 'S', 5))).toEqual({ pid: 9, comm: 'my flow) Z 1 (x', state: 'S', ppid: 5 });
    expect(parseStat(line(10, 'a b', 'Z', 1))).toMatchObject({ comm: 'a b', state: 'Z', ppid: 1 });
    expect(parseStat(line(11, '()', 'R', 3))).toMatchObject({ comm: '()', state: 'R', ppid: 3 });
    expect(parseStat(line(12, '', 'Z', 1))).toMatchObject({ comm: '', state: 'Z' });
  });

  it('rejects garbage', () => {
    expect(parseStat('')).toBeUndefined();
    expect(parseStat('12 sleep Z 1')).toBeUndefined();
    expect(parseStat('12 (sleep)')).toBeUndefined();
    expect(parseStat('x (sleep) Z 1')).toBeUndefined();
  });

  it('parses this process\'s real stat line', () => {
    const { readFileSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    expect(parseStat(readFileSync('/proc/self/stat', 'utf8'))).toMatchObject({ pid: process.pid, ppid: process.ppid, state: 'R' });
  });
});

describe('zombieChildren (fake /proc)', () => {
  let proc: string;
  const addProcess = (pid: number, comm: string, state: string, ppid: number) => {
    mkdirSync(path.join(proc, String(pid)), { recursive: true });
    writeFileSync(path.join(proc, String(pid), 'stat'), line(pid, comm, state, ppid));
  };
  beforeEach(() => {
    proc = mkdtempSync(path.join(tmpdir(), 'fake-proc-'));
    addProcess(1, 'node', 'S', 0);
    addProcess(20, 'sleep', 'Z', 1); // our zombie
    addProcess(21, 'sh -c (x)', 'Z', 1); // our zombie, odd name
    addProcess(22, 'sleep', 'S', 1); // our child, still running
    addProcess(23, 'sleep', 'Z', 22); // someone else's zombie
    mkdirSync(path.join(proc, 'self')); // non-numeric entries are ignored
  });
  afterEach(() => rmSync(proc, { recursive: true, force: true }));

  it('without children lists: scans every process for state Z with our ppid', () => {
    expect(zombieChildren(1, proc).map((z) => [z.pid, z.comm])).toEqual([[20, 'sleep'], [21, 'sh -c (x)']]);
  });

  it('with children lists: reads every thread\'s list (orphans go to any thread of the reaper)', () => {
    for (const [tid, kids] of [[1, '22 '], [2, '20 21 '], [3, '']] as const) {
      mkdirSync(path.join(proc, '1', 'task', String(tid)), { recursive: true });
      writeFileSync(path.join(proc, '1', 'task', String(tid), 'children'), kids);
    }
    expect(candidateChildren(1, proc).sort()).toEqual([20, 21, 22]);
    expect(zombieChildren(1, proc).map((z) => z.pid)).toEqual([20, 21]);
  });

  it('a process that vanished between listing and reading is skipped', () => {
    mkdirSync(path.join(proc, '30'));
    expect(zombieChildren(1, proc).map((z) => z.pid)).toEqual([20, 21]);
  });
});
