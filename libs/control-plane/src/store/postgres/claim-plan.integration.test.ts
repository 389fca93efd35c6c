import pg from 'pg';
import { isoNow } from '../../time.js';
import { claimStatement } from '../claims-postgres.js';
import { migrate, pgMigrationLock } from '../migrations/index.js';
import { SqlStore } from '../sql-store.js';
import { freshDatabase, postgresAvailable } from '../testing/pg-database.js';
import { createPostgresDriver } from './postgres-driver.js';

/**
 * The claim runs as a named prepared statement, so PostgreSQL may plan it once for all parameter
 * values. This checks the plan it would keep, on a queue big enough for a bad plan to show: it
 * must walk the queue index and stay cheap (with LIMIT as a parameter it merge-joined the whole
 * run table and a claim took 70 ms instead of 0.2).
 */
let available = false;
let db: { url: string; drop: () => Promise<void> } | undefined;
let driver: ReturnType<typeof createPostgresDriver> | undefined;
let client: pg.Client | undefined;
let tenantId = '';
let agentId = '';

beforeAll(async () => {
  available = await postgresAvailable();
  if (!available) return;
  db = await freshDatabase();
  driver = createPostgresDriver({ url: db.url });
  await migrate(driver.db, pgMigrationLock);
  const store = new SqlStore(driver);
  tenantId = (await store.createTenant({ name: 'plan' })).id as string;
  const project = await store.createProject({ tenantId, name: 'p' });
  const flow = await store.createFlow({ tenantId, projectId: project.id, serializedFlow: { name: 'etl' } });
  const template = await store.createFlowRun({ flowId: flow.id, scheduledStartTime: '2099-01-01T00:00:00.000Z' }, { tenantId });
  agentId = (await store.registerAgent({ tenantId, name: 'a', type: 'LocalAgent', labels: [] })).id as string;
  client = new pg.Client({ connectionString: db.url });
  await client.connect();
  // 40,000 future and 5,000 due copies of the template run, then fresh statistics
  const cols = (await client.query(`select column_name from information_schema.columns where table_name = 'flow_run' and table_schema = current_schema()`)).rows.map((r) => r.column_name as string);
  for (const [count, at] of [[40_000, '2099-01-01T00:00:00.000Z'], [5_000, '2000-01-01T00:00:00.000Z']] as const) {
    const select = cols.map((c) => (c === 'id' ? 'gen_random_uuid()::text' : c === 'state_start_time' || c === 'scheduled_start_time' ? `'${at}'` : c === 'idempotency_key' ? 'null' : `t.${c}`));
    await client.query(`insert into flow_run (${cols.join(', ')}) select ${select.join(', ')} from generate_series(1, ${count}), flow_run t where t.id = $1`, [template.id]);
  }
  await client.query('analyze');
}, 60_000);

afterAll(async () => {
  await client?.end();
  await driver?.close();
  await db?.drop();
});

/** The plan PostgreSQL keeps for the prepared claim (a generic plan, forced here). */
async function genericPlan(labels: string[], limit: number): Promise<string> {
  const query = claimStatement(driver!, { tenantId, agentId, labels, limit, leaseSeconds: 10 }, isoNow());
  const c = client!;
  await c.query('set plan_cache_mode = force_generic_plan');
  await c.query('deallocate all');
  await c.query(`prepare claim as ${query.sql}`);
  const values = query.parameters.map((v) => c.escapeLiteral(String(v))).join(', ');
  const plan = (await c.query(`explain execute claim(${values})`)).rows.map((r) => r['QUERY PLAN'] as string);
  return plan.join('\n');
}

const topCost = (plan: string): number => Number(/cost=[\d.]+\.\.([\d.]+)/.exec(plan)?.[1]);

test.each([
  [[], 1],
  [[], 10],
  [['etl', 'gpu'], 1],
  [['etl', 'gpu'], 100],
])('the generic plan of a claim with labels %j and limit %d walks the queue index', async (labels, limit) => {
  if (!available) return;
  const plan = await genericPlan(labels, limit);
  expect(plan).toContain('Index Scan using flow_run_queue on flow_run f');
  expect(plan).not.toMatch(/Seq Scan on flow_run|Merge Join/);
  expect(topCost(plan)).toBeLessThan(2_000); // the plan that scanned the table cost ~15,000
});
