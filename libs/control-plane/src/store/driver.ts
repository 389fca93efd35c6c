import type { Kysely } from 'kysely';
import type { StoreKind } from './store.js';

/** What differs between the two backends; everything else is shared SQL. */
export interface StoreDriver {
  readonly kind: StoreKind;
  readonly location: string;
  readonly db: Kysely<any>;
  /** Runs `fn` in one write transaction (BEGIN IMMEDIATE on SQLite, READ COMMITTED on PostgreSQL). */
  write<T>(fn: (q: Kysely<any>) => Promise<T>): Promise<T>;
  /** true on PostgreSQL: claim reads add FOR UPDATE SKIP LOCKED */
  readonly skipLocked: boolean;
  /** Tells other replicas that runs may be due (PostgreSQL NOTIFY); no-op on SQLite. */
  notify(tenantId: string): void;
  /** Starts listening for other replicas' notifications. */
  listen(onTenant: (tenantId: string) => void): Promise<void>;
  close(): Promise<void>;
}
