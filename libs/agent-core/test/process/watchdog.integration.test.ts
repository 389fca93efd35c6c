import { spawn } from 'node:child_process';
import path from 'node:path';
import { fixture, survivors, waitFor } from '../../src/testing/processes';

// A real "agent" process (a tiny script using the watchdog from the TypeScript sources via
// the built dist) is SIGKILLed; the watchdog must end the run's process group.
const dist = path.resolve(__dirname, '..', '..', 'dist', 'process', 'watchdog.js');
const script = `
const { spawn } = require('node:child_process');
const { startWatchdog } = require(${JSON.stringify(dist)});
const w = startWatchdog(1);
const c = spawn(process.execPath, [${JSON.stringify(fixture('spawns-grandchild.js'))}], { detached: true, stdio: ['ignore', 'pipe', 'ignore'] });
w.watch(c.pid);
c.stdout.on('data', (d) => process.stdout.write(d.toString().replace('grandchild', 'group ' + c.pid + ' grandchild')));
setInterval(() => undefined, 1000);
`;

describe('parent-death watchdog', () => {
  it('kills the watched process group when the agent is killed with SIGKILL', async () => {
    const agent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    agent.stdout.on('data', (d) => (out += d));
    const m = await waitFor(() => /group (\d+) grandchild (\d+)/.exec(out), 10_000, 'run started');
    const [pgid, grandchild] = [Number(m![1]), Number(m![2])];
    expect(survivors({ pgids: [pgid] }).length).toBe(2);
    agent.kill('SIGKILL');
    await waitFor(() => survivors({ pgids: [pgid] }).filter((r) => !r.stat.startsWith('Z')).length === 0, 10_000, 'group gone');
    expect(survivors({ pids: [grandchild] }).filter((r) => !r.stat.startsWith('Z'))).toEqual([]);
  });
});
