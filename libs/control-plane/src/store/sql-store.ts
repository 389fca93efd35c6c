import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { agentSlaStore, type AgentSlaStore } from '../services/agent-sla-store.js';
import { isoNow } from '../time.js';
import * as catalog from './catalog.js';
import * as claims from './claims.js';
import type { StoreDriver } from './driver.js';
import { FlowCache } from './flow-cache.js';
import { HandoffDesk, type Offer, type Waiter } from './handoff.js';
import { sweepExpiredLeases } from './lease-sweep.js';
import { reportFlowRuns } from './reports.js';
import * as runs from './runs.js';
import type { ClaimInput, CreateFlowInput, CreateFlowRunInput, ListQuery, LogInput, RegisterAgentInput, Scope, StateUpdate, Store } from './store.js';
import { decodeRow, type Row, type TableName } from './tables.js';

/** The one `Store` implementation: shared Kysely queries over a backend driver. */
export class SqlStore implements Store {
  private readonly events = new EventEmitter();
  private readonly flows = new FlowCache();
  private readonly desk = new HandoffDesk();
  readonly kind;
  readonly location;
  readonly agentSla: AgentSlaStore;

  constructor(private readonly d: StoreDriver) {
    this.kind = d.kind;
    this.location = d.location;
    this.agentSla = agentSlaStore(d);
    this.events.setMaxListeners(0);
  }

  /** Starts cross-replica notifications (PostgreSQL LISTEN). */
  async start(): Promise<void> {
    await this.d.listen((tenantId) => this.events.emit('runs', tenantId));
  }

  private emit = (tenantId: string): void => {
    this.events.emit('runs', tenantId);
    this.d.notify(tenantId);
  };

  close(): Promise<void> {
    this.events.removeAllListeners();
    return this.d.close();
  }

  onRunsAvailable(listener: (tenantId: string) => void): () => void {
    this.events.on('runs', listener);
    return () => this.events.off('runs', listener);
  }

  select(table: TableName, query: ListQuery, scope: Scope): Promise<Row[]> {
    return catalog.selectRows(this.d.db, table, query, scope);
  }

  async getById(table: TableName, id: string, scope: Scope): Promise<Row | undefined> {
    let q = this.d.db.selectFrom(table).selectAll().where('id', '=', id);
    if (scope.tenantId) q = q.where(table === 'tenant' ? 'id' : 'tenant_id', '=', scope.tenantId);
    const row = await q.executeTakeFirst();
    return row ? decodeRow(table, row) : undefined;
  }

  createTenant(input: { name: string; slug?: string | null }): Promise<Row> {
    return catalog.createTenant(this.d, input);
  }

  async findTenant(key: string): Promise<Row | undefined> {
    const row = await this.d.db.selectFrom('tenant').selectAll()
      .where((eb) => eb.or([eb('id', '=', key), eb('slug', '=', key), eb('name', '=', key)])).orderBy('created').executeTakeFirst();
    return row ? decodeRow('tenant', row) : undefined;
  }

  async defaultTenant(create: boolean): Promise<Row | undefined> {
    const row = await this.d.db.selectFrom('tenant').selectAll().orderBy('created').orderBy('id').executeTakeFirst();
    if (row) return decodeRow('tenant', row);
    if (!create) return undefined;
    try {
      return await this.createTenant({ name: 'default', slug: 'default' });
    } catch {
      return this.defaultTenant(false); // another replica created it first
    }
  }

  async insertApiKey(input: { tenantId: string; name?: string | null; keyHash: string; prefix: string }): Promise<{ id: string }> {
    const id = randomUUID();
    await this.d.db.insertInto('api_key').values({ id, tenant_id: input.tenantId, name: input.name ?? null, key_hash: input.keyHash, prefix: input.prefix, created: isoNow() }).execute();
    return { id };
  }

  async findApiKey(keyHash: string): Promise<{ id: string; tenantId: string } | undefined> {
    const row = await this.d.db.selectFrom('api_key').select(['id', 'tenant_id']).where('key_hash', '=', keyHash).executeTakeFirst();
    return row ? { id: row.id as string, tenantId: row.tenant_id as string } : undefined;
  }

  async createProject(input: { tenantId: string; name: string; description?: string | null }): Promise<{ id: string }> {
    const existing = await this.d.db.selectFrom('project').select('id').where('tenant_id', '=', input.tenantId).where('name', '=', input.name).executeTakeFirst();
    if (existing) return { id: existing.id as string };
    const id = randomUUID();
    await this.d.db.insertInto('project').values({ id, tenant_id: input.tenantId, name: input.name, description: input.description ?? null, created: isoNow() })
      .onConflict((oc) => oc.columns(['tenant_id', 'name']).doNothing()).execute();
    const row = await this.d.db.selectFrom('project').select('id').where('tenant_id', '=', input.tenantId).where('name', '=', input.name).executeTakeFirstOrThrow();
    return { id: row.id as string };
  }

  createFlow(input: CreateFlowInput): Promise<{ id: string }> {
    return catalog.createFlow(this.d, input);
  }

  async createFlowRun(input: CreateFlowRunInput, scope: Scope): Promise<{ id: string }> {
    let picked: ReturnType<HandoffDesk['pick']>;
    const claimer = (tenantId: string, labels: readonly string[]) => (picked = this.desk.pick(tenantId, labels))?.waiter;
    try {
      const { id, tenantId, claimed } = await runs.createFlowRun(this.d, input, scope, this.flows, this.desk.size > 0 ? claimer : undefined);
      picked?.settle(claimed ? [claimed] : []);
      // a run handed over is nobody else's business; otherwise wake the claims
      if (!claimed) this.emit(tenantId);
      return { id };
    } catch (err) {
      picked?.settle([]);
      throw err;
    }
  }

  offerToTake(waiter: Waiter): Offer {
    return this.desk.offer(waiter);
  }

  setFlowRunStates(updates: StateUpdate[], scope: Scope, agentId?: string | null) {
    return runs.setFlowRunStates(this.d, updates, scope, agentId, this.emit);
  }

  cancelFlowRun(flowRunId: string, scope: Scope) {
    return runs.cancelFlowRun(this.d, flowRunId, scope);
  }

  updateFlowRunHeartbeat(flowRunId: string, scope: Scope) {
    return runs.updateHeartbeat(this.d, flowRunId, scope);
  }

  writeLogs(logs: LogInput[], scope: Scope) {
    return catalog.writeLogs(this.d, logs, scope);
  }

  reportFlowRuns(logs: LogInput[], updates: StateUpdate[], scope: Scope, agentId?: string | null) {
    return reportFlowRuns(this.d, logs, updates, scope, agentId, this.emit);
  }

  registerAgent(input: RegisterAgentInput) {
    return catalog.registerAgent(this.d, input);
  }

  async deleteAgent(agentId: string, scope: Scope): Promise<boolean> {
    return this.d.write(async (q) => {
      let del = q.deleteFrom('agent').where('id', '=', agentId);
      if (scope.tenantId) del = del.where('tenant_id', '=', scope.tenantId);
      const res = await del.executeTakeFirst();
      if (Number(res.numDeletedRows) === 0) return false;
      await q.updateTable('flow_run').set({ agent_id: null }).where('agent_id', '=', agentId).execute();
      return true;
    });
  }

  async touchAgent(agentId: string, scope: Scope): Promise<void> {
    let q = this.d.db.updateTable('agent').set({ last_queried: isoNow() }).where('id', '=', agentId);
    if (scope.tenantId) q = q.where('tenant_id', '=', scope.tenantId);
    await q.execute();
  }

  async createAgentConfig(input: { tenantId: string; name?: string | null; settings?: unknown }): Promise<{ id: string }> {
    const id = randomUUID();
    await this.d.db.insertInto('agent_config').values({ id, tenant_id: input.tenantId, name: input.name ?? null, settings: JSON.stringify(input.settings ?? {}), created: isoNow() }).execute();
    return { id };
  }

  getRunsInQueue(input: { tenantId: string; before: string; labels: string[] }) {
    return claims.getRunsInQueue(this.d, input.tenantId, input.before, input.labels);
  }

  claimFlowRuns(input: ClaimInput) {
    return claims.claimFlowRuns(this.d, input);
  }

  nextDueTime(tenantId: string, after: string) {
    return claims.nextDueTime(this.d, tenantId, after);
  }

  agentHeartbeat(input: { tenantId: string; agentId: string; flowRunIds: string[]; leaseSeconds: number }) {
    return claims.agentHeartbeat(this.d, input.tenantId, input.agentId, input.flowRunIds, input.leaseSeconds);
  }

  async sweepExpiredLeases(now: string, maxAttempts: number) {
    const out = await sweepExpiredLeases(this.d, now, maxAttempts);
    for (const t of new Set(out.filter((o) => o.action === 'rescheduled').map((o) => o.tenantId))) this.emit(t);
    return out;
  }

  markAlive(now: string) {
    return claims.markAlive(this.d, now);
  }

  extendLeases(ms: number) {
    return claims.extendLeases(this.d, ms);
  }
}
