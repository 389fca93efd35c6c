import { sql, type CompiledQuery } from 'kysely';
import { isoNow } from '../time.js';
import { claimColumns, dueRuns } from './claim-sql.js';
import { runPrepared, type StoreDriver } from './driver.js';
import type { ClaimInput } from './store.js';
import { withPreloaded } from './preloaded.js';
import { decodeRow, type Row } from './tables.js';

/**
 * The claim on PostgreSQL as one statement, so one round trip: touch the agent, walk the queue
 * index for the oldest due runs the agent's labels allow, lock them with FOR UPDATE SKIP LOCKED
 * (concurrent claimers never wait for or take each other's rows; a row changed meanwhile is
 * re-checked and dropped when no longer Scheduled) and mark them Submitted, returning them with
 * their flows.
 */
export async function claimOnPostgres(d: StoreDriver, input: ClaimInput): Promise<Row[]> {
  const query = claimStatement(d, input, isoNow());
  // a prepared statement: parsed and planned once per connection (its generic plan is checked
  // by postgres/claim-plan.integration.test.ts); about 0.5 ms less per claim
  const rows = await runPrepared(d, query);
  const key = (r: Row): string => `${r.claim_due as string} ${r.id as string}`;
  return rows
    .sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
    .map(({ claim_due: _due, claim_flow: flow, ...r }) => withPreloaded(decodeRow('flow_run', r), { flow: decodeRow('flow', flow as Row) }));
}

/** The claim statement itself, compiled. */
export function claimStatement(d: StoreDriver, input: ClaimInput, now: string): CompiledQuery<Row> {
  return d.db
    .with('touched', (db) => db.updateTable('agent').set({ last_queried: now }).where('id', '=', input.agentId).returning('id'))
    .with('picked', (db) => dueRuns(db, 'postgres', input.tenantId, now, input.labels, input.limit)
      .select(['f.id', 'f.state_start_time as due']).forUpdate('f').skipLocked())
    .with('claimed', (db) => db.updateTable('flow_run').set(claimColumns(input, now)).from('picked').whereRef('flow_run.id', '=', 'picked.id')
      .returningAll('flow_run').returning('picked.due as claim_due'))
    // each run's flow comes along (the claim answer includes it): no second round trip
    .selectFrom('claimed').innerJoin('flow', 'flow.id', 'claimed.flow_id')
    .selectAll('claimed').select(sql<Row>`row_to_json(flow.*)`.as('claim_flow'))
    .compile() as CompiledQuery<Row>;
}
