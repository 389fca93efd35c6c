import { LruMap } from './lru-map.js';
import type { Row } from './tables.js';

/**
 * Flows by id for creating runs. What a run takes from its flow (tenant, name, run_config,
 * parameters) never changes once the flow is registered (a new version is a new flow row; only
 * `archived` changes, and it is not used here), so replicas may keep these rows without
 * invalidation. Saves the flow query on the create path (a round trip on PostgreSQL).
 */
export class FlowCache {
  private readonly rows: LruMap<string, Row>;

  constructor(max = 1000) {
    this.rows = new LruMap(max);
  }

  get(id: string): Row | undefined {
    return this.rows.get(id);
  }

  set(row: Row): void {
    const { archived: _mutable, ...immutable } = row;
    this.rows.set(row.id as string, immutable);
  }
}
