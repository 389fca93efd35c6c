import type { Scope, Store } from '../store/store.js';
import type { Row, TableName } from '../store/tables.js';

interface Waiter {
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

/**
 * Batches the by-id lookups of one request: GraphQL resolves a field (say `flow`) for every row
 * of a list in the same tick, so `flow_run(limit: 100) { flow { name } }` or a claim of 10 runs
 * reads its flows with one `id in (…)` query instead of one query per row (on PostgreSQL, one
 * round trip instead of a hundred).
 */
export class ByIdBatcher {
  private queued = new Map<TableName, Map<string, Waiter[]>>();
  private scheduled = false;

  constructor(
    private readonly store: Store,
    private readonly scope: Scope,
  ) {}

  load(table: TableName, id: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      let byId = this.queued.get(table);
      if (!byId) this.queued.set(table, (byId = new Map()));
      const waiters = byId.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else byId.set(id, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        process.nextTick(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    const batches = this.queued;
    this.queued = new Map();
    this.scheduled = false;
    await Promise.all([...batches].map(([table, byId]) => this.fetch(table, byId)));
  }

  private async fetch(table: TableName, byId: Map<string, Waiter[]>): Promise<void> {
    try {
      const ids = [...byId.keys()];
      const rows = ids.length === 1
        ? [await this.store.getById(table, ids[0], this.scope)]
        : await this.store.select(table, { where: { id: { _in: ids } }, limit: ids.length }, this.scope);
      const found = new Map(rows.filter((r): r is Row => r !== undefined).map((r) => [r.id as string, r]));
      for (const [id, waiters] of byId) for (const w of waiters) w.resolve(found.get(id));
    } catch (error) {
      for (const waiters of byId.values()) for (const w of waiters) w.reject(error);
    }
  }
}
