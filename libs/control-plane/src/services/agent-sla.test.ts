import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startControlPlane } from '../server.js';
import { openStore } from '../store/open-store.js';
import type { Store } from '../store/store.js';
import { freshDatabase, postgresAvailable } from '../store/testing/pg-database.js';
import { gql, gqlOk, REGISTER } from '../testing/gql.js';
import { tempDir } from '../testing/temp-dir.js';
import { agentSlaService, checkAgentSlas } from './agent-sla.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await sleep(20);
  }
}

async function events(store: Store, configId: string) {
  return store.select('agent_sla_event', { where: { agent_config_id: { _eq: configId } }, orderBy: { created: 'asc' } }, {});
}

/** Event types, sorted (the tests' fake clocks make `created` order meaningless). */
const types = (rows: { type?: unknown }[]) => rows.map((e) => String(e.type)).sort();

/** A config with `sla` seconds and `agents` registered agents (all just queried). */
async function seed(store: Store, sla: number, agents = 2, webhook?: string) {
  const tenant = (await store.defaultTenant(true))!.id as string;
  const { id } = await store.createAgentConfig({ tenantId: tenant, name: 'group', settings: { sla_seconds: sla, sla_min_healthy: 1, webhook_url: webhook } });
  const ids: string[] = [];
  for (let i = 0; i < agents; i++) ids.push((await store.registerAgent({ tenantId: tenant, type: 'LocalAgent', name: `a${i}-${id}`, agentConfigId: id })).id);
  return { tenant, configId: id, agentIds: ids };
}

/** The contract of the SLA store for one backend: `open` gives two independent stores (replicas) on one database. */
function describeSlaStore(kind: string, open: () => Promise<{ a: Store; b: Store; done: () => Promise<void> }>) {
  describe(`agent SLA store (${kind})`, () => {
    let a: Store;
    let b: Store;
    let done: (() => Promise<void>) | undefined;
    beforeAll(async () => {
      const opened = await open();
      if (!opened) return;
      ({ a, b, done } = opened);
    }, 30_000);
    afterAll(async () => done?.(), 30_000);

    it('records one failure after sla_seconds and one recovery when an agent queries again', async () => {
      if (!done) return;
      const { configId, agentIds } = await seed(a, 30);
      const t = Date.now();
      expect(await checkAgentSlas(a, t)).toEqual([]);
      expect(await checkAgentSlas(a, t + 29_000)).toEqual([]); // not before the SLA
      const [failure] = await checkAgentSlas(a, t + 31_000);
      expect(failure).toMatchObject({
        type: 'AGENT_SLA_FAILURE', agent_config_id: configId, healthy_agent_ids: [], unhealthy_agent_ids: [...agentIds].sort(),
        sla_min_healthy: 1, sla_seconds: 30, delivery_attempts: 0, delivered_at: null, agent_config_name: 'group',
      });
      expect(await checkAgentSlas(a, t + 40_000)).toEqual([]); // still failing: no second event
      await a.touchAgent(agentIds[1], {});
      const [recovered] = await checkAgentSlas(a, Date.now());
      expect(recovered).toMatchObject({ type: 'AGENT_SLA_RECOVERED', healthy_agent_ids: [...agentIds].sort(), unhealthy_agent_ids: [] });
      expect(types(await events(a, configId))).toEqual(['AGENT_SLA_FAILURE', 'AGENT_SLA_RECOVERED']);
      expect((await a.getById('agent_config', configId, {}))?.sla_state).toBe('ok');
    });

    it('two checkers on one database record each transition exactly once', async () => {
      if (!done) return;
      const { configId, agentIds } = await seed(a, 10, 3);
      const t = Date.now() + 11_000;
      const rounds = await Promise.all(Array.from({ length: 8 }, (_, i) => checkAgentSlas(i % 2 ? a : b, t)));
      expect(rounds.flat().filter((e) => e.agent_config_id === configId)).toHaveLength(1);
      for (const id of agentIds) await b.touchAgent(id, {});
      const now = Date.now();
      const again = await Promise.all(Array.from({ length: 8 }, (_, i) => checkAgentSlas(i % 2 ? a : b, now)));
      expect(again.flat().filter((e) => e.agent_config_id === configId)).toHaveLength(1);
      expect(types(await events(b, configId))).toEqual(['AGENT_SLA_FAILURE', 'AGENT_SLA_RECOVERED']);
    });

    it('an empty config fails only sla_seconds after its creation; configs without sla_seconds are not monitored', async () => {
      if (!done) return;
      const { configId } = await seed(a, 20, 0);
      const tenant = (await a.defaultTenant(false))!.id as string;
      const plain = await a.createAgentConfig({ tenantId: tenant, name: 'plain', settings: {} });
      const t = Date.now();
      expect((await checkAgentSlas(a, t + 19_000)).filter((e) => e.agent_config_id === configId)).toEqual([]);
      const fired = await checkAgentSlas(a, t + 21_000);
      expect(fired.filter((e) => e.agent_config_id === configId)).toEqual([expect.objectContaining({ type: 'AGENT_SLA_FAILURE', healthy_agent_ids: [], unhealthy_agent_ids: [] })]);
      expect(fired.filter((e) => e.agent_config_id === plain.id)).toEqual([]);
    });

    it('hands a due webhook delivery to exactly one checker (compare-and-set on attempts)', async () => {
      if (!done) return;
      const { configId } = await seed(a, 5, 1, 'http://127.0.0.1:9/hook');
      const [event] = (await checkAgentSlas(a, Date.now() + 6_000)).filter((e) => e.agent_config_id === configId);
      const due = (await b.agentSla.dueDeliveries(new Date(Date.now() + 7_000).toISOString(), 50)).find((e) => e.id === event.id);
      expect(due).toMatchObject({ delivery_attempts: 0, webhook_url: 'http://127.0.0.1:9/hook' });
      const claims = await Promise.all([a, b, a, b].map((s) => s.agentSla.claimDelivery(event.id as string, 0, null)));
      expect(claims.filter(Boolean)).toHaveLength(1);
    });
  });
}

const sqliteDir = tempDir('cp-sla-');
afterAll(() => sqliteDir.remove());

// The embedded store is one server process by design (two better-sqlite3 connections in one
// process would block each other's event loop), so the two checkers share one store there.
describeSlaStore('sqlite', async () => {
  const a = await openStore({ dataDir: sqliteDir.dir });
  return { a, b: a, done: () => a.close() };
});

describeSlaStore('postgres', async () => {
  if (!(await postgresAvailable())) return undefined as never;
  const db = await freshDatabase();
  const [a, b] = await Promise.all([openStore({ databaseUrl: db.url }), openStore({ databaseUrl: db.url })]);
  return { a, b, done: async () => { await Promise.all([a.close(), b.close()]); await db.drop(); } };
});

describe('agent SLA service: webhook delivery (real HTTP receiver)', () => {
  let receiver: Server;
  let hookUrl: string;
  const received: { body: Record<string, unknown>; attempt: number }[] = [];
  let failFirst = 0;
  let attempts = 0;
  const readBody = (req: IncomingMessage) => new Promise<string>((resolve) => {
    let s = '';
    req.on('data', (c) => (s += c));
    req.on('end', () => resolve(s));
  });
  beforeAll(async () => {
    receiver = createServer(async (req, res) => {
      const body = JSON.parse(await readBody(req));
      attempts++;
      if (req.url === '/down' || attempts <= failFirst) {
        res.statusCode = 500;
        return res.end('no');
      }
      received.push({ body, attempt: attempts });
      res.end('ok');
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => receiver.close(() => r())));

  it('retries a failing webhook with backoff, delivers once, and records attempts', async () => {
    const dir = tempDir('cp-sla-hook-');
    const store = await openStore({ dataDir: dir.dir });
    const logs: string[] = [];
    const svc = agentSlaService({ store, intervalMs: 30, backoffMs: 50, timeoutMs: 2000, log: (l, m) => logs.push(`${l} ${m}`) });
    try {
      failFirst = 2;
      attempts = 0;
      const { configId, agentIds } = await seed(store, 1, 1, `${hookUrl}/hook`);
      svc.start();
      const delivered = await until(async () => (await events(store, configId)).find((e) => e.delivered_at));
      expect(delivered).toMatchObject({ type: 'AGENT_SLA_FAILURE', delivery_attempts: 3, delivery_error: null });
      expect(received).toHaveLength(1);
      expect(received[0].body).toEqual({
        id: delivered.id, type: 'AGENT_SLA_FAILURE', event: 'Agent SLA failure', agent_config_id: configId, agent_config_name: 'group',
        tenant_id: expect.any(String), healthy_agent_ids: [], unhealthy_agent_ids: agentIds, sla_min_healthy: 1, sla_seconds: 1,
        created: delivered.created,
      });
      expect(logs.filter((l) => l.startsWith('warn Webhook'))).toHaveLength(2);
      expect(logs.some((l) => /^warn Agent SLA failure: agent config .* "group" has 0 of 1 agent/.test(l))).toBe(true);
    } finally {
      await svc.stop();
      await store.close();
      dir.remove();
    }
  });

  it('gives up after maxAttempts on a webhook that always fails; the server keeps answering', async () => {
    const dir = tempDir('cp-sla-down-');
    const logs: string[] = [];
    const cp = await startControlPlane({ port: 0, dataDir: dir.dir, slaCheckIntervalMs: 30, slaWebhook: { maxAttempts: 3, backoffMs: 20, timeoutMs: 500 }, log: (l, m) => logs.push(`${l} ${m}`) });
    try {
      const bad = await gql(cp.url, 'mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }', { input: { name: 'x', settings: { sla_seconds: -1 } } });
      expect(bad.errors?.[0]).toMatchObject({ message: expect.stringContaining('sla_seconds must be'), extensions: { code: 'BAD_USER_INPUT' } });
      const made = await gqlOk(cp.url, 'mutation($input: create_agent_config_input!) { create_agent_config(input: $input) { id } }', { input: { name: 'down', settings: JSON.stringify({ sla_seconds: 1, webhook_url: `${hookUrl}/down` }) } });
      const configId = made.create_agent_config.id;
      await gqlOk(cp.url, REGISTER, { input: { type: 'LocalAgent', name: 'lonely', agent_config_id: configId } });
      const q = `query($id: UUID) { agent_sla_event(where: { agent_config_id: { _eq: $id } }) { id type delivery_attempts delivery_error delivered_at agent_config { name sla_state } } }`;
      const gaveUp = await until(async () => logs.some((l) => l.includes('giving up')) && (await gqlOk(cp.url, q, { id: configId })).agent_sla_event);
      expect(gaveUp).toEqual([{ id: expect.any(String), type: 'AGENT_SLA_FAILURE', delivery_attempts: 3, delivery_error: 'HTTP 500', delivered_at: null, agent_config: { name: 'down', sla_state: 'failing' } }]);
      await sleep(200);
      expect((await gqlOk(cp.url, q, { id: configId })).agent_sla_event[0].delivery_attempts).toBe(3); // capped
      expect((await gqlOk(cp.url, '{ hello }')).hello).toBeTruthy();
    } finally {
      await cp.close();
      dir.remove();
    }
  });
});
