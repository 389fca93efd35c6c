import type { CompiledQuery, Kysely } from 'kysely';
import type { Row } from './tables.js';
import type { StoreKind } from './store.js';

/**
 * The query builder over the store's tables. Tables and columns come from the runtime catalog in
 * tables.ts (which also generates the GraphQL schema and the Hasura filters), so rows are the
 * dynamic `Row` type and the builder is untyped: this alias is the one place that says so.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Db = Kysely<any>;

/** What differs between the two backends; everything else is shared SQL. */
export interface StoreDriver {
  readonly kind: StoreKind;
  readonly location: string;
  readonly db: Db;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE on SQLite, READ COMMITTED on PostgreSQL). */
  write<T>(fn: (q: Db) => Promise<T>): Promise<T>;
  /** true on PostgreSQL: row locks (FOR UPDATE [SKIP LOCKED]); on SQLite BEGIN IMMEDIATE serialises writers instead */
  readonly skipLocked: boolean;
  /**
   * PostgreSQL only: runs `query` as a named prepared statement, parsed and planned once per
   * pooled connection instead of on every call. PostgreSQL then may keep one generic plan for all
   * parameter values, so use it only for statements whose generic plan has been checked (a test
   * asserts it): a LIMIT or similar left as a parameter can turn an index walk into a full scan.
   */
  prepared?(query: CompiledQuery): Promise<Row[]>;
  /** Tells other replicas that runs may be due (PostgreSQL NOTIFY); no-op on SQLite. */
  notify(tenantId: string): void;
  /** Starts listening for other replicas' notifications. */
  listen(onTenant: (tenantId: string) => void): Promise<void>;
  close(): Promise<void>;
}

/** Runs `query` as a prepared statement where the driver has them (see `prepared`), else as usual. */
export async function runPrepared(d: StoreDriver, query: CompiledQuery): Promise<Row[]> {
  return d.prepared ? d.prepared(query) : (await d.db.executeQuery<Row>(query)).rows;
}
