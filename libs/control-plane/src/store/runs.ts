import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { badInput, ControlPlaneError, notFound } from '../errors.js';
import { isFinishedState, isKnownState, isScheduledState, serializeState, type SerializedState } from '../states.js';
import { isoAt, isoNow, toIsoTimestamp } from '../time.js';
import { runPrepared, type StoreDriver, type Db } from './driver.js';
import type { FlowCache } from './flow-cache.js';
import { handoffColumns } from './claim-sql.js';
import { withPreloaded } from './preloaded.js';
import type { ClaimInput, CreateFlowRunInput, Scope, StateResult, StateUpdate } from './store.js';
import { decodeRow, encodeJson, type Row } from './tables.js';

const SUBMITTED_LOCK_MS = 30_000;

async function findFlow(db: Db, input: CreateFlowRunInput, scope: Scope, cache?: FlowCache): Promise<Row> {
  const cached = input.flowId ? cache?.get(input.flowId) : undefined;
  if (cached && (!scope.tenantId || cached.tenant_id === scope.tenantId)) return cached;
  let q = db.selectFrom('flow').selectAll();
  if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
  if (input.flowId) q = q.where('id', '=', input.flowId);
  else if (input.versionGroupId) q = q.where('version_group_id', '=', input.versionGroupId).where('archived', '=', 0);
  else throw badInput('create_flow_run needs flow_id or version_group_id');
  const row = await q.orderBy('version', 'desc').executeTakeFirst();
  if (!row) throw notFound(`Flow ${input.flowId ?? `in version group ${input.versionGroupId}`} not found`);
  const flow = decodeRow('flow', row);
  cache?.set(flow);
  return flow;
}

function defaults(params: unknown): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (Array.isArray(params)) for (const p of params) if (p && typeof p.name === 'string') out[p.name] = p.default ?? null;
  return out;
}

/** An agent to hand a new, due run to: it is inserted already claimed by it (handoff.ts). */
export type Claimer = (tenantId: string, labels: readonly string[]) => Pick<ClaimInput, 'agentId' | 'leaseSeconds'> | undefined;

/**
 * Inserts a flow run. When it is due at once and `claimer` names an agent waiting for work, the
 * run is inserted already claimed by that agent and returned as `claimed` (with its flow).
 */
export async function createFlowRun(d: StoreDriver, input: CreateFlowRunInput, scope: Scope, flows?: FlowCache, claimer?: Claimer): Promise<{ id: string; tenantId: string; claimed?: Row }> {
  const flow = await findFlow(d.db, input, scope, flows);
  const flowId = flow.id as string;
  const tenantId = flow.tenant_id as string;
  if (input.idempotencyKey) {
    const existing = await d.db.selectFrom('flow_run').select('id').where('flow_id', '=', flowId)
      .where('idempotency_key', '=', input.idempotencyKey).executeTakeFirst();
    if (existing) return { id: existing.id as string, tenantId };
  }
  const runConfig = (input.runConfig ?? flow.run_config ?? null) as Record<string, unknown> | null;
  const labels = [...new Set(input.labels ?? (Array.isArray(runConfig?.labels) ? (runConfig.labels as string[]) : []))];
  const now = isoNow();
  const start = input.scheduledStartTime ?? now;
  const id = randomUUID();
  const state = JSON.stringify(serializeState('Scheduled', 'Flow run scheduled.', { start_time: start }));
  const values: Row = {
    id, tenant_id: tenantId, flow_id: flowId, name: input.name ?? `${String(flow.name)}-${id.slice(0, 8)}`,
    labels: JSON.stringify(labels), parameters: JSON.stringify({ ...defaults(flow.parameters), ...(input.parameters ?? {}) }),
    context: encodeJson(input.context ?? {}), run_config: encodeJson(runConfig), state: 'Scheduled',
    serialized_state: state, state_message: 'Flow run scheduled.', state_start_time: start, state_timestamp: now,
    is_scheduled: 1, version: 1, scheduled_start_time: start, attempt: 0, idempotency_key: input.idempotencyKey ?? null,
    created: now, updated: now,
  };
  // due means what a claim's `state_start_time <= now` means
  const claim = start <= now ? claimer?.(tenantId, labels) : undefined;
  if (claim) Object.assign(values, handoffColumns(claim, state, now));
  const insert = d.db.insertInto('flow_run').values(values).onConflict((oc) => oc.columns(['flow_id', 'idempotency_key']).doNothing());
  // prepared statements on PostgreSQL (an INSERT's plan does not depend on its values); a run
  // handed over comes back whole, with its flow joined in as a claim's would
  const inserted = !claim
    ? await runPrepared(d, insert.returning('id').compile())
    : d.kind === 'postgres'
      ? await runPrepared(d, d.db.with('ins', () => insert.returningAll()).selectFrom('ins').innerJoin('flow', 'flow.id', 'ins.flow_id')
        .selectAll('ins').select(sql<Row>`row_to_json(flow.*)`.as('claim_flow')).compile())
      : await runPrepared(d, insert.returningAll().compile());
  if (inserted.length === 0) {
    const existing = await d.db.selectFrom('flow_run').select('id').where('flow_id', '=', flowId)
      .where('idempotency_key', '=', input.idempotencyKey ?? '').executeTakeFirstOrThrow();
    return { id: existing.id as string, tenantId };
  }
  if (!claim) return { id, tenantId };
  const { claim_flow: joined, ...row } = inserted[0];
  const claimed = decodeRow('flow_run', row);
  return { id, tenantId, claimed: joined ? withPreloaded(claimed, { flow: decodeRow('flow', joined as Row) }) : claimed };
}

const failed = (message: string): ControlPlaneError => new ControlPlaneError('VERSION_LOCKING_ERROR', `State update failed: ${message}`);

/** What a state update needs to know about a run. */
const RUN_STATE_COLUMNS = ['id', 'tenant_id', 'state', 'version', 'start_time', 'lease_expires_at', 'state_timestamp', 'serialized_state'] as const;

async function loadRun(db: Db, id: string, scope: Scope): Promise<Row> {
  let q = db.selectFrom('flow_run').select([...RUN_STATE_COLUMNS]).where('id', '=', id);
  if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
  const row = await q.executeTakeFirst();
  if (!row) throw notFound(`Flow run ${id} not found`);
  return row;
}

/**
 * The runs of a batch of state updates, read in one query (`applyStateUpdate` keeps them current
 * as it applies states, so a run updated twice in a batch is checked against its own first update).
 */
export async function loadRuns(db: Db, ids: readonly string[], scope: Scope): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  let q = db.selectFrom('flow_run').select([...RUN_STATE_COLUMNS]).where('id', 'in', [...new Set(ids)]);
  if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
  return new Map((await q.execute()).map((r) => [r.id as string, r]));
}

/** Column values for moving a run to `state` (shared by state updates, cancels and the sweeper). */
export function stateColumns(run: Row, state: SerializedState, now: string, agentId?: string | null): Row {
  const scheduled = isScheduledState(state.type);
  const cols: Row = {
    state: state.type, serialized_state: JSON.stringify(state), state_message: state.message ?? null,
    state_timestamp: now, state_start_time: scheduled && state.start_time ? toIsoTimestamp(state.start_time) : now,
    is_scheduled: scheduled ? 1 : 0, version: Number(run.version) + 1, updated: now,
  };
  if (state.type === 'Running' && !run.start_time) cols.start_time = now;
  if (isFinishedState(state.type)) Object.assign(cols, { end_time: now, lease_owner: null, lease_expires_at: null });
  if (scheduled) Object.assign(cols, { lease_owner: null, lease_expires_at: null, end_time: null });
  if (state.type === 'Submitted' && agentId) cols.agent_id = agentId;
  return cols;
}

export async function applyState(db: Db, run: Row, cols: Row): Promise<void> {
  const res = await db.updateTable('flow_run').set(cols).where('id', '=', run.id as string)
    .where('version', '=', Number(run.version)).executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw failed('the flow run changed concurrently; version mismatch.');
}

/**
 * Checks and applies one state update; `scheduled` when the run went back to a Scheduled-type
 * state. With `runs` (from `loadRuns`) the run is taken from there and its entry kept current.
 */
export async function applyStateUpdate(db: Db, u: StateUpdate, scope: Scope, agentId: string | null | undefined, runs?: Map<string, Row>): Promise<{ tenantId: string; scheduled: boolean }> {
  const type = u.state?.type;
  if (typeof type !== 'string' || !isKnownState(type)) throw badInput(`Unknown state type ${JSON.stringify(type)}`);
  const known = runs?.get(u.flowRunId);
  if (runs && !known) throw notFound(`Flow run ${u.flowRunId} not found`);
  const run = known ?? (await loadRun(db, u.flowRunId, scope));
  const now = isoNow();
  if (u.version != null && u.version !== Number(run.version)) {
    throw failed(`version mismatch (stored ${run.version}, given ${u.version}).`);
  }
  if (run.state === 'Submitted' && type === 'Submitted') {
    const lease = run.lease_expires_at as string | null;
    const locked = lease ? lease > now : (run.state_timestamp as string) > isoAt(Date.now() - SUBMITTED_LOCK_MS);
    if (locked) throw failed('this run has already been submitted.');
  }
  if (isFinishedState(run.state as string) && !isScheduledState(type)) {
    throw failed(`the flow run is already finished (${run.state}).`);
  }
  const cols = stateColumns(run, u.state, now, agentId);
  await applyState(db, run, cols);
  if (known) Object.assign(known, cols);
  return { tenantId: run.tenant_id as string, scheduled: isScheduledState(type) };
}

export async function setFlowRunStates(d: StoreDriver, updates: StateUpdate[], scope: Scope, agentId: string | null | undefined, emit: (t: string) => void): Promise<StateResult[]> {
  const results: StateResult[] = [];
  for (const u of updates) {
    const applied = await applyStateUpdate(d.db, u, scope, agentId);
    if (applied.scheduled) emit(applied.tenantId);
    results.push({ id: u.flowRunId, status: 'SUCCESS', message: null });
  }
  return results;
}

export async function cancelFlowRun(d: StoreDriver, id: string, scope: Scope): Promise<{ state: string }> {
  for (let attempt = 0; ; attempt++) {
    const run = await loadRun(d.db, id, scope);
    const current = run.state as string;
    let next: string;
    if (isScheduledState(current)) next = 'Cancelled';
    else if (current === 'Submitted' || current === 'Running') next = 'Cancelling';
    else return { state: current };
    const message = next === 'Cancelled' ? 'Flow run was cancelled.' : 'Flow run is cancelling...';
    try {
      await applyState(d.db, run, stateColumns(run, serializeState(next, message), isoNow()));
      return { state: next };
    } catch (err) {
      if (attempt >= 5) throw err;
    }
  }
}

export async function updateHeartbeat(d: StoreDriver, id: string, scope: Scope): Promise<boolean> {
  let q = d.db.updateTable('flow_run').set({ heartbeat: isoNow() }).where('id', '=', id);
  if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
  const res = await q.executeTakeFirst();
  if (Number(res.numUpdatedRows) === 0) throw notFound(`Flow run ${id} not found`);
  return true;
}
