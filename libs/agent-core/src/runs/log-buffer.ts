import type { RunLogEntry } from '../control-plane/agent-api.js';

/** Entries taken for one request; put back as they are if it fails and may be retried. */
export interface TakenLogs {
  entries: RunLogEntry[];
  dropped: Map<string, number>;
}

/**
 * Run log entries waiting to be sent, oldest first. Memory is bounded: beyond `maxPending` the
 * oldest entries are dropped, and the next batch starts with one notice per run saying how many.
 */
export class LogBuffer {
  private pending: RunLogEntry[] = [];
  private dropped = new Map<string, number>();

  constructor(private readonly maxPending = 10_000) {}

  /** Entries and drop notices waiting. */
  get count(): number {
    return this.pending.length + this.dropped.size;
  }

  add(entry: Omit<RunLogEntry, 'timestamp'> & { timestamp?: string }): void {
    this.pending.push({ ...entry, timestamp: entry.timestamp ?? new Date().toISOString() });
    if (this.pending.length > this.maxPending) this.dropOldest(this.pending.length - this.maxPending);
  }

  /** Takes the oldest entries: at most `max`, and no more than `maxChars` of messages (at least one). */
  take(max: number, maxChars = Number.POSITIVE_INFINITY): TakenLogs {
    const dropped = this.dropped;
    this.dropped = new Map();
    let n = 0;
    for (let chars = 0; n < this.pending.length && n < max; n += 1) {
      chars += this.pending[n].message.length;
      if (chars > maxChars && n > 0) break;
    }
    return { entries: this.pending.splice(0, n), dropped };
  }

  /** Puts entries back ahead of newer ones (their request failed and may be retried). */
  putBack(taken: TakenLogs): void {
    for (const [id, n] of taken.dropped) this.dropped.set(id, (this.dropped.get(id) ?? 0) + n);
    this.pending.unshift(...taken.entries);
    if (this.pending.length > this.maxPending) this.dropOldest(this.pending.length - this.maxPending);
  }

  private dropOldest(count: number): void {
    for (const entry of this.pending.splice(0, count)) this.dropped.set(entry.flow_run_id, (this.dropped.get(entry.flow_run_id) ?? 0) + 1);
  }
}

/** The entries of a batch as sent: drop notices first. */
export function logBatch(taken: TakenLogs): RunLogEntry[] {
  if (taken.dropped.size === 0) return taken.entries;
  const notices = [...taken.dropped].map(([id, n]) => ({
    flow_run_id: id,
    name: 'agent.log-shipper',
    level: 'WARNING',
    message: `${n} log line(s) of this run were dropped: the agent's log buffer was full`,
    timestamp: new Date().toISOString(),
  }));
  return [...notices, ...taken.entries];
}
