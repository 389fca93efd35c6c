import { sql, type QueryCreator, type RawBuilder } from 'kysely';
import { serializeState } from '../states.js';
import { isoAt } from '../time.js';
import type { ClaimInput, StoreKind } from './store.js';

/**
 * Prefect's label rule (see labels.ts) as SQL on `<alias>.labels` (a JSON array as text): run
 * labels ⊆ agent labels, and an unlabeled run only for an unlabeled agent. Evaluated while the
 * queue index is walked in order, so a claim stops at the first `limit` runs it may take and no
 * run is hidden behind any number of runs meant for other agents.
 */
export function labelRule(kind: StoreKind, alias: string, agentLabels: readonly string[]): RawBuilder<boolean> {
  const column = sql.ref(`${alias}.labels`);
  if (agentLabels.length === 0) return sql<boolean>`${column} = '[]'`;
  // coalesce(): PostgreSQL estimates `<@` to match almost no row, and would then read every due
  // run and sort them instead of walking the queue index until `limit` runs match; an opaque
  // expression is estimated at half the rows, which keeps the index walk
  if (kind === 'postgres') return sql<boolean>`coalesce(${column} <> '[]' and ${column}::jsonb <@ ${JSON.stringify(agentLabels)}::jsonb, false)`;
  return sql<boolean>`${column} <> '[]' and not exists (select 1 from json_each(${column}) where value not in (${sql.join([...agentLabels])}))`;
}

/** Due Scheduled-type runs of a tenant the labels allow, oldest first (the queue index order). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the untyped catalog, see Db in driver.ts
export function dueRuns(q: QueryCreator<any>, kind: StoreKind, tenantId: string, before: string, labels: readonly string[], limit: number) {
  return q.selectFrom('flow_run as f')
    .where('f.tenant_id', '=', tenantId).where('f.is_scheduled', '=', 1).where('f.state_start_time', '<=', before)
    .where(labelRule(kind, 'f', labels))
    .orderBy('f.state_start_time').orderBy('f.id').limit(limitLiteral(limit));
}

/**
 * The claim's LIMIT as a literal, not a parameter. PostgreSQL runs the claim as a prepared
 * statement and may keep a generic plan for it; with LIMIT as a parameter that plan expects
 * thousands of rows and merge-joins the whole run table (70 ms with 100k runs instead of 0.2).
 * Limits are clamped to 1–100 by the resolver, so there are at most 100 statement texts.
 */
function limitLiteral(limit: number): RawBuilder<number> {
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`claim limit must be a positive integer, got ${limit}`);
  return sql.lit(limit);
}

/** Submitted's serialized state up to where the state it replaces is nested (`"state":`). */
const SUBMITTED_HEAD = `${JSON.stringify(serializeState('Submitted', 'Submitted for execution')).slice(0, -1)},"state":`;

/** Columns a claim sets to the same value in every run it takes: Submitted, leased to the agent. */
function leaseColumns(claim: Pick<ClaimInput, 'agentId' | 'leaseSeconds'>, now: string): Record<string, unknown> {
  return {
    state: 'Submitted', state_message: 'Submitted for execution', state_timestamp: now, state_start_time: now,
    is_scheduled: 0, agent_id: claim.agentId, lease_owner: claim.agentId,
    lease_expires_at: isoAt(Date.now() + claim.leaseSeconds * 1000), updated: now,
  };
}

/** What a claim writes into each run it takes (version and attempt counted up in SQL). */
export function claimColumns(input: ClaimInput, now: string): Record<string, unknown> {
  return {
    ...leaseColumns(input, now),
    serialized_state: sql`${SUBMITTED_HEAD} || serialized_state || ${'}'}`,
    version: sql`version + 1`, attempt: sql`attempt + 1`,
  };
}

/**
 * The same, for a run handed over as it is created (handoff.ts): the values a claim would leave
 * in a new Scheduled run (version 1, attempt 0) that it took at once.
 */
export function handoffColumns(claim: Pick<ClaimInput, 'agentId' | 'leaseSeconds'>, scheduled: string, now: string): Record<string, unknown> {
  return { ...leaseColumns(claim, now), serialized_state: `${SUBMITTED_HEAD}${scheduled}}`, version: 2, attempt: 1 };
}
