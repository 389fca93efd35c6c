import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { badInput, notFound } from '../errors.js';
import { normaliseLabels } from '../labels.js';
import { isoNow } from '../time.js';
import { AliasCounter, boolExpToSql, orderByToSql } from '../where/bool-exp.js';
import type { StoreDriver, Db } from './driver.js';
import type { CreateFlowInput, ListQuery, LogInput, RegisterAgentInput, Scope } from './store.js';
import { decodeRow, encodeJson, type Row, type TableName } from './tables.js';

/** Hasura-style list query: where, order_by, limit, offset, tenant scope. */
export async function selectRows(db: Db, table: TableName, q: ListQuery, scope: Scope): Promise<Row[]> {
  const aliases = new AliasCounter();
  const alias = aliases.next();
  const where = boolExpToSql(table, alias, q.where, aliases);
  const tenantCol = table === 'tenant' ? 'id' : 'tenant_id';
  const tenant = scope.tenantId ? sql`and ${sql.ref(`${alias}.${tenantCol}`)} = ${scope.tenantId}` : sql``;
  if (q.limit != null && q.limit < 0) throw badInput('limit must not be negative');
  if (q.offset != null && q.offset < 0) throw badInput('offset must not be negative');
  const limit = q.limit != null ? sql`limit ${q.limit}` : q.offset ? sql`limit ${Number.MAX_SAFE_INTEGER}` : sql``;
  const offset = q.offset ? sql`offset ${q.offset}` : sql``;
  const res = await sql<Row>`select ${sql.ref(alias)}.* from ${sql.table(table)} as ${sql.raw(alias)} where ${where} ${tenant} ${orderByToSql(table, alias, q.orderBy)} ${limit} ${offset}`.execute(db);
  return res.rows.map((r) => decodeRow(table, r));
}

const slugify = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'tenant';

export async function createTenant(d: StoreDriver, input: { name: string; slug?: string | null }): Promise<Row> {
  if (!input.name.trim()) throw badInput('A tenant needs a name');
  const row = { id: randomUUID(), name: input.name, slug: input.slug || slugify(input.name), created: isoNow() };
  const clash = await d.db.selectFrom('tenant').select('id').where('slug', '=', row.slug).executeTakeFirst();
  if (clash) throw badInput(`A tenant with slug "${row.slug}" already exists`);
  await d.db.insertInto('tenant').values(row).execute();
  return row;
}

export async function createFlow(d: StoreDriver, input: CreateFlowInput): Promise<{ id: string }> {
  const f = input.serializedFlow;
  const name = typeof f.name === 'string' ? f.name : undefined;
  if (!name) throw badInput('serialized_flow needs a "name"');
  return d.write(async (q) => {
    const project = await q.selectFrom('project').select('id').where('id', '=', input.projectId)
      .where('tenant_id', '=', input.tenantId).executeTakeFirst();
    if (!project) throw notFound(`Project ${input.projectId} not found`);
    let group = input.versionGroupId ?? undefined;
    if (!group) {
      const same = await q.selectFrom('flow').select('version_group_id').where('tenant_id', '=', input.tenantId)
        .where('project_id', '=', input.projectId).where('name', '=', name).orderBy('version', 'desc').executeTakeFirst();
      group = (same?.version_group_id as string | undefined) ?? randomUUID();
    }
    const latest = await q.selectFrom('flow').select(['id', 'version', 'idempotency_key'])
      .where('tenant_id', '=', input.tenantId).where('version_group_id', '=', group)
      .orderBy('version', 'desc').executeTakeFirst();
    if (latest && input.idempotencyKey && latest.idempotency_key === input.idempotencyKey) return { id: latest.id as string };
    const id = randomUUID();
    await q.updateTable('flow').set({ archived: 1 }).where('tenant_id', '=', input.tenantId)
      .where('version_group_id', '=', group).execute();
    await q.insertInto('flow').values({
      id, tenant_id: input.tenantId, project_id: input.projectId, name, version: Number(latest?.version ?? 0) + 1,
      version_group_id: group, core_version: typeof f.__version__ === 'string' ? f.__version__ : null,
      storage: encodeJson(f.storage), run_config: encodeJson(f.run_config), parameters: encodeJson(f.parameters ?? []),
      serialized_flow: JSON.stringify(f), environment: encodeJson(f.environment), archived: 0,
      description: input.description ?? null, idempotency_key: input.idempotencyKey ?? null, created: isoNow(),
    }).execute();
    return { id };
  });
}

export async function registerAgent(d: StoreDriver, input: RegisterAgentInput): Promise<{ id: string }> {
  const labels = normaliseLabels(input.labels);
  const key = JSON.stringify(labels);
  return d.write(async (q) => {
    if (input.agentConfigId) {
      const cfg = await q.selectFrom('agent_config').select('id').where('id', '=', input.agentConfigId)
        .where('tenant_id', '=', input.tenantId).executeTakeFirst();
      if (!cfg) throw notFound(`Agent config ${input.agentConfigId} not found`);
    }
    const rows = await q.selectFrom('agent').select(['id', 'name', 'core_version', 'labels'])
      .where('tenant_id', '=', input.tenantId).where('type', '=', input.type).execute();
    const same = rows.find((r) => (r.name ?? null) === (input.name ?? null)
      && (r.core_version ?? null) === (input.coreVersion ?? null) && r.labels === key);
    if (same) return { id: same.id as string };
    const id = randomUUID();
    const now = isoNow();
    await q.insertInto('agent').values({
      id, tenant_id: input.tenantId, agent_config_id: input.agentConfigId ?? null, name: input.name ?? null,
      type: input.type, core_version: input.coreVersion ?? null, labels: key, last_queried: now, created: now,
    }).execute();
    return { id };
  });
}

export function writeLogs(d: StoreDriver, logs: LogInput[], scope: Scope): Promise<void> {
  return insertLogs(d.db, logs, scope, false);
}

/** Inserts run logs; a log of a run that does not exist fails the call, or is left out with `skipUnknown`. */
export async function insertLogs(db: Db, logs: LogInput[], scope: Scope, skipUnknown: boolean): Promise<void> {
  if (logs.length === 0) return;
  const ids = [...new Set(logs.map((l) => l.flowRunId))];
  let query = db.selectFrom('flow_run').select(['id', 'tenant_id']).where('id', 'in', ids);
  if (scope.tenantId) query = query.where('tenant_id', '=', scope.tenantId);
  const tenants = new Map((await query.execute()).map((r) => [r.id as string, r.tenant_id as string]));
  const now = isoNow();
  const known = skipUnknown ? logs.filter((l) => tenants.has(l.flowRunId)) : logs;
  const rows = known.map((l) => {
    const tenantId = tenants.get(l.flowRunId);
    if (!tenantId) throw notFound(`Flow run ${l.flowRunId} not found`);
    return {
      id: randomUUID(), tenant_id: tenantId, flow_run_id: l.flowRunId, task_run_id: l.taskRunId ?? null,
      name: l.name ?? null, level: l.level ?? 'INFO', message: l.message, timestamp: l.timestamp ?? now, created: now,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await db.insertInto('log').values(rows.slice(i, i + 500)).execute();
}
