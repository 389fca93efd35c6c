import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { agentMayTakeRun } from '../labels.js';
import { LEASED_STATES, SCHEDULED_STATES, serializeState } from '../states.js';
import { isoAt, isoNow } from '../time.js';
import type { StoreDriver, Db } from './driver.js';
import { applyState, stateColumns } from './runs.js';
import type { ClaimInput, SweepOutcome } from './store.js';
import { decodeRow, type Row } from './tables.js';

const WINDOW = 100;
const MAX_PAGES = 5;

/** Due Scheduled-type runs of a tenant, oldest first, read one index range at a time. */
async function dueCandidates(q: Db, tenantId: string, before: string, labels: string[], want: number, skip?: Set<string>): Promise<Row[]> {
  const picked: Row[] = [];
  let cursor: { t: string; id: string } | undefined;
  for (let page = 0; page < MAX_PAGES && picked.length < want; page++) {
    let sel = q.selectFrom('flow_run').select(['id', 'labels', 'state_start_time'])
      .where('tenant_id', '=', tenantId).where('is_scheduled', '=', 1).where('state_start_time', '<=', before);
    if (cursor) {
      const c = cursor;
      sel = sel.where((eb) => eb.or([eb('state_start_time', '>', c.t), eb.and([eb('state_start_time', '=', c.t), eb('id', '>', c.id)])]));
    }
    sel = sel.orderBy('state_start_time').orderBy('id').limit(WINDOW);
    const rows = await sel.execute();
    for (const r of rows) {
      if (picked.length < want && !skip?.has(r.id as string) && agentMayTakeRun(labels, JSON.parse(r.labels as string))) picked.push(r);
    }
    if (rows.length < WINDOW) break;
    const last = rows[rows.length - 1];
    cursor = { t: last.state_start_time as string, id: last.id as string };
  }
  return picked;
}

/**
 * Picks up to `limit` due runs the agent may take. On PostgreSQL only the rows actually taken
 * are locked (FOR UPDATE SKIP LOCKED), so concurrent claimers never block or starve each other;
 * on SQLite the surrounding BEGIN IMMEDIATE transaction already excludes every other writer.
 */
async function lockCandidates(q: Db, d: StoreDriver, input: ClaimInput, now: string): Promise<Row[]> {
  if (!d.skipLocked) return dueCandidates(q, input.tenantId, now, input.labels, input.limit);
  const taken: Row[] = [];
  const tried = new Set<string>();
  for (let round = 0; round < 3 && taken.length < input.limit; round++) {
    const candidates = await dueCandidates(q, input.tenantId, now, input.labels, input.limit - taken.length, tried);
    if (candidates.length === 0) break;
    for (const c of candidates) tried.add(c.id as string);
    const locked = await q.selectFrom('flow_run').select('id').where('id', 'in', candidates.map((c) => c.id as string))
      .where('is_scheduled', '=', 1).forUpdate().skipLocked().execute();
    taken.push(...locked);
  }
  return taken;
}

export async function claimFlowRuns(d: StoreDriver, input: ClaimInput): Promise<Row[]> {
  const ids = await d.write(async (q) => {
    const now = isoNow();
    const picked = await lockCandidates(q, d, input, now);
    await q.updateTable('agent').set({ last_queried: now }).where('id', '=', input.agentId).execute();
    if (picked.length === 0) return [];
    const ids = picked.map((r) => r.id as string);
    const head = JSON.stringify(serializeState('Submitted', 'Submitted for execution')).slice(0, -1);
    await q.updateTable('flow_run').set({
      state: 'Submitted', state_message: 'Submitted for execution', state_timestamp: now, state_start_time: now,
      serialized_state: sql`${head + ',"state":'} || serialized_state || ${'}'}`,
      is_scheduled: 0, version: sql`version + 1`, attempt: sql`attempt + 1`, agent_id: input.agentId,
      lease_owner: input.agentId, lease_expires_at: isoAt(Date.now() + input.leaseSeconds * 1000), updated: now,
    }).where('id', 'in', ids).execute();
    return ids;
  });
  if (ids.length === 0) return [];
  const rows = await d.db.selectFrom('flow_run').selectAll().where('id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.id as string, decodeRow('flow_run', r)]));
  return ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
}

export async function getRunsInQueue(d: StoreDriver, tenantId: string, before: string, labels: string[]): Promise<string[]> {
  const due = await dueCandidates(d.db, tenantId, before, labels, 25);
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

export async function sweepExpiredLeases(d: StoreDriver, now: string, maxAttempts: number): Promise<SweepOutcome[]> {
  const rows = await d.db.selectFrom('flow_run').select(['id', 'tenant_id', 'state', 'version', 'attempt', 'start_time'])
    .where('lease_expires_at', '<', now).where('state', 'in', [...LEASED_STATES]).limit(500).execute();
  const out: SweepOutcome[] = [];
  for (const run of rows) {
    const attempt = Number(run.attempt);
    let action: SweepOutcome['action'];
    let state;
    if (run.state === 'Cancelling') {
      action = 'cancelled';
      state = serializeState('Cancelled', 'Flow run was cancelled; its agent stopped renewing its lease.');
    } else if (attempt < maxAttempts) {
      action = 'rescheduled';
      state = serializeState('Scheduled', `Rescheduled: the agent stopped renewing its lease. This is attempt ${attempt + 1}.`, { start_time: now });
    } else {
      action = 'failed';
      state = serializeState('Failed', `The agent stopped renewing its lease; the run was rescheduled ${attempt} times without success. Marking as failed.`);
    }
    try {
      await applyState(d.db, run, { ...stateColumns(run, state, now), lease_owner: null, lease_expires_at: null });
    } catch {
      continue; // changed concurrently (another replica swept it, or the agent reported): skip
    }
    await d.db.insertInto('log').values({
      id: randomUUID(), tenant_id: run.tenant_id, flow_run_id: run.id, task_run_id: null, name: 'control-plane',
      level: action === 'failed' ? 'ERROR' : 'WARNING', message: state.message, timestamp: now, created: now,
    }).execute();
    out.push({ flowRunId: run.id as string, tenantId: run.tenant_id as string, action, attempt });
  }
  return out;
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

