import { sql } from 'kysely';
import { agentMayTakeRun } from '../labels.js';
import { LEASED_STATES, SCHEDULED_STATES } from '../states.js';
import { isoAt, isoNow } from '../time.js';
import type { StoreDriver } from './driver.js';
import type { ClaimInput } from './store.js';
import { claimColumns, dueRuns } from './claim-sql.js';
import { claimOnPostgres } from './claims-postgres.js';
import { decodeRow, type Row } from './tables.js';

/**
 * Claims up to `limit` due runs. On SQLite, BEGIN IMMEDIATE excludes every other writer, so the
 * candidates are read, the agent touched and the runs updated (RETURNING them) in one short
 * transaction. PostgreSQL does it all in one statement (claims-postgres.ts).
 */
export async function claimFlowRuns(d: StoreDriver, input: ClaimInput): Promise<Row[]> {
  if (d.kind === 'postgres') return claimOnPostgres(d, input);
  const { picked, rows } = await d.write(async (q) => {
    const now = isoNow();
    const picked = await dueRuns(q, d.kind, input.tenantId, now, input.labels, input.limit).select('f.id').execute();
    await q.updateTable('agent').set({ last_queried: now }).where('id', '=', input.agentId).execute();
    if (picked.length === 0) return { picked, rows: [] };
    const rows = await q.updateTable('flow_run').set(claimColumns(input, now)).where('id', 'in', picked.map((r) => r.id as string)).returningAll().execute();
    return { picked, rows };
  });
  const byId = new Map(rows.map((r) => [r.id as string, decodeRow('flow_run', r)]));
  return picked.map((r) => byId.get(r.id as string)).filter((r): r is Row => r !== undefined);
}

export async function getRunsInQueue(d: StoreDriver, tenantId: string, before: string, labels: string[]): Promise<string[]> {
  const due = await dueRuns(d.db, d.kind, tenantId, before, labels, 25).select('f.id').execute();
  const retrying = await d.db.selectFrom('flow_run as fr').select(['fr.id', 'fr.labels'])
    .where('fr.tenant_id', '=', tenantId).where('fr.state', '=', 'Running')
    .where((eb) => eb.exists(eb.selectFrom('task_run as tr').select(sql`1`.as('one')).whereRef('tr.flow_run_id', '=', 'fr.id')
      .where('tr.state', 'in', [...SCHEDULED_STATES]).where('tr.state_start_time', '<=', before)))
    .limit(75).execute();
  const extra = retrying.filter((r) => agentMayTakeRun(labels, JSON.parse(r.labels as string)));
  return [...due, ...extra].slice(0, 25).map((r) => r.id as string);
}

export async function nextDueTime(d: StoreDriver, tenantId: string, after: string): Promise<string | undefined> {
  const row = await d.db.selectFrom('flow_run').select('state_start_time').where('tenant_id', '=', tenantId)
    .where('is_scheduled', '=', 1).where('state_start_time', '>', after).orderBy('state_start_time').limit(1).executeTakeFirst();
  return row?.state_start_time as string | undefined;
}

export async function agentHeartbeat(d: StoreDriver, tenantId: string, agentId: string, flowRunIds: string[], leaseSeconds: number): Promise<string[]> {
  return d.write(async (q) => {
    const now = isoNow();
    await q.updateTable('agent').set({ last_queried: now }).where('id', '=', agentId).execute();
    if (flowRunIds.length === 0) return [];
    const rows = await q.selectFrom('flow_run').select(['id', 'state', 'lease_owner', 'agent_id'])
      .where('tenant_id', '=', tenantId).where('id', 'in', flowRunIds).execute();
    const byId = new Map(rows.map((r) => [r.id as string, r]));
    const live = new Set<string>(LEASED_STATES);
    const renew: string[] = [];
    const cancel: string[] = [];
    for (const id of flowRunIds) {
      const r = byId.get(id);
      if (!r || !live.has(r.state as string) || r.state === 'Cancelling') cancel.push(id);
      else if (r.lease_owner === agentId) renew.push(id);
      else if (r.lease_owner !== null || r.agent_id !== agentId) cancel.push(id);
    }
    if (renew.length > 0) {
      await q.updateTable('flow_run').set({ lease_expires_at: isoAt(Date.now() + leaseSeconds * 1000) })
        .where('id', 'in', renew).where('lease_owner', '=', agentId).execute();
    }
    return cancel;
  });
}

export async function markAlive(d: StoreDriver, now: string): Promise<string | undefined> {
  const prev = await d.db.selectFrom('server_meta').select('value').where('key', '=', 'last_alive').executeTakeFirst();
  await d.db.insertInto('server_meta').values({ key: 'last_alive', value: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: now })).execute();
  return prev?.value as string | undefined;
}

export async function extendLeases(d: StoreDriver, ms: number): Promise<number> {
  if (ms <= 0) return 0;
  return d.write(async (q) => {
    const rows = await q.selectFrom('flow_run').select(['id', 'lease_expires_at']).where('lease_expires_at', 'is not', null)
      .where('state', 'in', [...LEASED_STATES]).execute();
    for (const r of rows) {
      await q.updateTable('flow_run').set({ lease_expires_at: isoAt(Date.parse(r.lease_expires_at as string) + ms) })
        .where('id', '=', r.id as string).execute();
    }
    return rows.length;
  });
}

