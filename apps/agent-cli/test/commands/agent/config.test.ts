import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startControlPlane, type ControlPlane } from '@prefect-ts/control-plane';
import { gql, homeDir, parseJson, prefectAsync as runIn, unwrap, type Json } from '../../run-cli';

const HOME = homeDir('config-cli-home-');
const prefectAsync = (args: string[]) => runIn(args, HOME);


// ---- prefect agent config create | list against a real control plane (embedded store) ----

describe('prefect agent config (built CLI, real control plane)', () => {
  let cp: ControlPlane;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'config-cp-'));
    cp = await startControlPlane({ port: 0, dataDir: dir, slaCheckIntervalMs: 60_000 });
  });
  afterAll(async () => {
    await cp.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('create prints the new id and stores Prefect-style SLA settings; defaults 300 s / 1', async () => {
    const r = await prefectAsync(['agent', 'config', 'create', '--name', 'etl', '--api', cp.url]);
    expect(r.code).toBe(0);
    const id = r.stdout.trim();
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    const stored = await gql(cp.url, 'query($id: UUID!) { agent_config_by_pk(id: $id) { name settings sla_state } }', { id });
    expect(stored.agent_config_by_pk).toEqual({ name: 'etl', settings: { sla_seconds: 300, sla_min_healthy: 1 }, sla_state: null });
    const j = await prefectAsync(['agent', 'config', 'create', '--name', 'hooked', '--sla-seconds', '45', '--min-healthy', '2', '--webhook', 'https://hooks.example.com/x', '--api', cp.url, '--json']);
    expect(j.code).toBe(0);
    expect(parseJson(j)).toEqual({ id: expect.any(String), name: 'hooked', settings: { sla_seconds: 45, sla_min_healthy: 2, webhook_url: 'https://hooks.example.com/x' } });
  });

  it('list shows a table and a --json array', async () => {
    const text = await prefectAsync(['agent', 'config', 'list', '--api', cp.url]);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/ID\s+NAME\s+SLA\s+MIN HEALTHY\s+AGENTS\s+STATE\s+WEBHOOK/);
    expect(text.stdout).toMatch(/hooked\s+45s\s+2\s+0\s+unchecked\s+https:\/\/hooks\.example\.com\/x/);
    const rows = parseJson<Json[]>(await prefectAsync(['agent', 'config', 'list', '--api', cp.url, '--json']));
    expect(rows.map((r) => r.name)).toEqual(['etl', 'hooked']);
    expect(rows[1]).toEqual({
      id: expect.any(String), name: 'hooked', created: expect.any(String), slaSeconds: 45, minHealthy: 2, webhookUrl: 'https://hooks.example.com/x',
      slaState: null, agentCount: 0, settings: { sla_seconds: 45, sla_min_healthy: 2, webhook_url: 'https://hooks.example.com/x' },
    });
  });

  it.each([
    [['--sla-seconds', '-5'], 'BAD_FLAG_SLA_SECONDS', '--sla-seconds must be a whole number of seconds of at least 1 (got -5)'],
    [['--sla-seconds', '0'], 'BAD_FLAG_SLA_SECONDS', '--sla-seconds'],
    [['--sla-seconds', 'soon'], 'BAD_FLAG_SLA_SECONDS', '--sla-seconds'],
    [['--min-healthy', '0'], 'BAD_FLAG_MIN_HEALTHY', '--min-healthy must be a whole number of at least 1'],
    [['--webhook', 'example.com/hook'], 'BAD_FLAG_WEBHOOK', '--webhook must be an http:// or https:// URL'],
    [['--webhook', 'ftp://example.com/hook'], 'BAD_FLAG_WEBHOOK', '--webhook'],
  ])('create %j exits 2 naming the flag, before any request', async (flags, code, message) => {
    const r = await prefectAsync(['agent', 'config', 'create', '--name', 'bad', ...flags, '--api', 'http://127.0.0.1:9', '--json']);
    expect(r.code).toBe(2);
    expect(parseJson(r).error).toMatchObject({ code, exitCode: 2, message: expect.stringContaining(message) });
  });

  it('create without --name exits 2; an unreachable API exits 4', async () => {
    expect((await prefectAsync(['agent', 'config', 'create', '--api', cp.url])).code).toBe(2);
    const down = await prefectAsync(['agent', 'config', 'list', '--api', 'http://127.0.0.1:9']);
    expect(down.code).toBe(4);
    expect(unwrap(down.stderr)).toContain('Cannot reach the Prefect API at http://127.0.0.1:9');
  });
});
