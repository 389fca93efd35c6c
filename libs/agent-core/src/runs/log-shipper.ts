import { isTransient, type AgentApi, type RunLogEntry } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';

export interface LogShipperOptions {
  api: Pick<AgentApi, 'writeRunLogs'>;
  logger: Logger;
  flushIntervalMs?: number;
  /** Entries per write_run_logs request. */
  maxBatch?: number;
  /** Entries held while the API is slow or away; older ones are dropped beyond this. */
  maxPending?: number;
}

/**
 * Ships run logs of every run in batches with one `write_run_logs` per flush. Memory is bounded:
 * beyond `maxPending` the oldest entries are dropped and a warning entry says how many.
 */
export class LogShipper {
  private pending: RunLogEntry[] = [];
  private dropped = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private readonly maxBatch: number;
  private readonly maxPending: number;

  constructor(private readonly options: LogShipperOptions) {
    this.maxBatch = options.maxBatch ?? 500;
    this.maxPending = options.maxPending ?? 10_000;
  }

  get pendingCount(): number {
    return this.pending.length;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  add(entry: Omit<RunLogEntry, 'timestamp'> & { timestamp?: string }): void {
    this.pending.push({ ...entry, timestamp: entry.timestamp ?? new Date().toISOString() });
    if (this.pending.length > this.maxPending) this.dropOldest(this.pending.length - this.maxPending);
    if (this.pending.length >= this.maxBatch) void this.flush();
  }

  private dropOldest(count: number): void {
    for (const entry of this.pending.splice(0, count)) this.dropped.set(entry.flow_run_id, (this.dropped.get(entry.flow_run_id) ?? 0) + 1);
  }

  /** Sends what is pending (one request per batch); keeps entries when the API is away. */
  flush(): Promise<void> {
    this.flushing ??= this.flushAll().finally(() => (this.flushing = undefined));
    return this.flushing;
  }

  private async flushAll(): Promise<void> {
    while (this.pending.length > 0 || this.dropped.size > 0) {
      const dropped = new Map(this.dropped);
      this.dropped.clear();
      const entries = this.pending.splice(0, this.maxBatch);
      const batch = [...noticesFor(dropped), ...entries];
      try {
        await this.options.api.writeRunLogs(batch);
      } catch (error) {
        if (isTransient(error)) {
          for (const [id, n] of dropped) this.dropped.set(id, (this.dropped.get(id) ?? 0) + n);
          this.pending.unshift(...entries);
          if (this.pending.length > this.maxPending) this.dropOldest(this.pending.length - this.maxPending);
          return;
        }
        this.options.logger.error(`Failed to write ${batch.length} run log(s): ${(error as Error).message}`);
      }
    }
  }

  /** Stops the timer and flushes until empty or until `deadlineMs` passed. */
  async close(deadlineMs = 5000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const end = Date.now() + deadlineMs;
    while ((this.pending.length > 0 || this.dropped.size > 0) && Date.now() < end) {
      await this.flush();
      if (this.pending.length > 0) await new Promise((r) => setTimeout(r, 250));
    }
  }
}

function noticesFor(dropped: Map<string, number>): RunLogEntry[] {
  return [...dropped].map(([id, n]) => ({
    flow_run_id: id,
    name: 'agent.log-shipper',
    level: 'WARNING',
    message: `${n} log line(s) of this run were dropped: the agent's log buffer was full`,
    timestamp: new Date().toISOString(),
  }));
}
