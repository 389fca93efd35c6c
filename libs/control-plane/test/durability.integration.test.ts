import { spawn, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { openStore } from '../src/store/open-store.js';
import { tempDir } from '../src/testing/temp-dir.js';
import { CREATE_FLOW_RUN, gqlOk, seedFlow } from '../src/testing/gql.js';

const root = join(__dirname, '..');

describe('durability of the embedded store', () => {
  beforeAll(() => {
    execFileSync('npx', ['tsc', '-p', 'tsconfig.lib.json'], { cwd: root, stdio: 'inherit' });
  }, 120_000);

  it('loses no acknowledged create_flow_run when the server is killed with SIGKILL mid-burst', async () => {
    const tmp = tempDir();
    const child = spawn(process.execPath, [join(root, 'test/durability-server.js'), tmp.dir], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
        child.once('exit', () => reject(new Error('server exited early')));
      });
      const flowId = await seedFlow(url);
      const acked: string[] = [];
      let stop = false;
      const writers = Array.from({ length: 8 }, async () => {
        while (!stop) {
          try {
            const res = await gqlOk(url, CREATE_FLOW_RUN, { input: { flow_id: flowId } });
            acked.push(res.create_flow_run.id);
          } catch {
            return; // the server is gone
          }
        }
      });
      while (acked.length < 300) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      stop = true;
      await Promise.all(writers);
      await new Promise((r) => (child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r)));

      const store = await openStore({ dataDir: tmp.dir });
      try {
        const rows = await store.select('flow_run', {}, {});
        const stored = new Set(rows.map((r) => r.id));
        const lost = acked.filter((id) => !stored.has(id));
        expect(acked.length).toBeGreaterThanOrEqual(300);
        expect(lost).toEqual([]);
      } finally {
        await store.close();
      }
    } finally {
      if (child.exitCode === null && !child.signalCode) child.kill('SIGKILL');
      tmp.remove();
    }
  }, 120_000);
});
