import { isTransient, type ReportResults, type RunLogEntry, type StateUpdate } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';
import { LogBuffer, logBatch } from './log-buffer.js';

export interface RunReportsOptions {
  /**
   * Sends one batch: `AgentApi.reportFlowRuns` where the server offers it (one transaction per
   * batch), else `AgentApi.sendReports` (plain Prefect 1 mutations in one request).
   */
  send: (logs: RunLogEntry[], states: StateUpdate[]) => Promise<ReportResults>;
  logger: Logger;
  /** Logs with no state to ride along are sent at least this often. */
  flushIntervalMs?: number;
  /** Log entries per request. */
  maxLogs?: number;
  /** Characters of log messages per request (the server caps request bodies). */
  maxLogChars?: number;
  /** State updates per request. */
  maxStates?: number;
  /**
   * Requests start at least this far apart once they come in a stream (the last two were closer
   * than this): under load this gathers the states of many runs into each request instead of
   * sending one or two per request as fast as the server answers. A state after a quiet spell,
   * and the one right after it (a short run's Running, then its final state), go at once.
   */
  minGapMs?: number;
  /** Log entries held while the API is slow or away; the oldest are dropped beyond this. */
  maxPendingLogs?: number;
}

interface QueuedState {
  update: StateUpdate;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * The agent's one channel for what it reports about its runs: run logs and state updates. One
 * request at a time carries everything queued meanwhile (logs first, then each state in its own
 * field), so under load the agent and the server handle a few requests per batch of runs instead
 * of two or three per run, while an idle agent's state goes out at once.
 *
 * Ordering: a state is only sent once every log entry added before it has been sent, in an
 * earlier request or earlier in the same one, so whoever watches a run sees its last output
 * before it ends.
 */
export class RunReports {
  private readonly logs: LogBuffer;
  private states: QueuedState[] = [];
  private sending?: Promise<void>;
  private kicked = false;
  private timer?: NodeJS.Timeout;
  private readonly maxLogs: number;
  private readonly maxLogChars: number;
  private readonly maxStates: number;
  private readonly minGapMs: number;
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** Time between the last two requests' starts. */
  private lastGapMs = Number.POSITIVE_INFINITY;

  constructor(private readonly options: RunReportsOptions) {
    this.logs = new LogBuffer(options.maxPendingLogs ?? 10_000);
    this.maxLogs = options.maxLogs ?? 500;
    this.maxLogChars = options.maxLogChars ?? 1_000_000;
    this.maxStates = options.maxStates ?? 50;
    this.minGapMs = options.minGapMs ?? 10;
  }

  /** Log entries (and drop notices) not sent yet. */
  get pendingLogs(): number {
    return this.logs.count;
  }

  start(): void {
    this.timer ??= setInterval(() => void this.flush(), this.options.flushIntervalMs ?? 500);
    this.timer.unref();
  }

  addLog(entry: Omit<RunLogEntry, 'timestamp'> & { timestamp?: string }): void {
    this.logs.add(entry);
    if (this.logs.count >= this.maxLogs) this.kick();
  }

  /**
   * Resolves when every update is applied; rejects with the first one's error (a version
   * conflict, a rejection, or the API being away: the caller decides whether to retry).
   */
  setFlowRunStates(updates: StateUpdate[]): Promise<void> {
    const done = Promise.all(updates.map((update) => new Promise<void>((resolve, reject) => this.states.push({ update, resolve, reject }))));
    this.kick();
    return done.then(() => undefined);
  }

  /** Sends what is queued; resolves when it is sent, or when the API is away (logs are kept). */
  flush(): Promise<void> {
    this.sending ??= this.pump().finally(() => {
      this.sending = undefined;
      if (this.states.length > 0) this.kick(); // queued after the last look
    });
    return this.sending;
  }

  /** Stops the timer and sends until no log is left or `deadlineMs` passed. */
  async close(deadlineMs = 5000): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    const end = Date.now() + deadlineMs;
    while (this.logs.count > 0 && Date.now() < end) {
      await this.flush();
      if (this.logs.count > 0) await new Promise((r) => setTimeout(r, 250));
    }
  }

  /**
   * Starts a send after the current turn of the event loop, so that states queued by runs that
   * started or ended together share a request. A send in progress picks up whatever is queued.
   */
  private kick(): void {
    if (this.kicked || this.sending) return;
    this.kicked = true;
    setImmediate(() => {
      this.kicked = false;
      void this.flush();
    });
  }

  private async pump(): Promise<void> {
    while (this.states.length > 0 || this.logs.count > 0) {
      const wait = this.lastSentAt + this.minGapMs - Date.now();
      if (wait > 0 && this.lastGapMs < this.minGapMs && this.states.length < this.maxStates) await new Promise((r) => setTimeout(r, wait));
      const now = Date.now();
      this.lastGapMs = now - this.lastSentAt;
      this.lastSentAt = now;
      const taken = this.logs.take(this.maxLogs, this.maxLogChars);
      // logs first: states wait while older log entries are still to be sent
      const states = this.logs.count === 0 ? this.states.splice(0, this.maxStates) : [];
      const batch = logBatch(taken);
      let results;
      try {
        results = await this.options.send(batch, states.map((s) => s.update));
      } catch (error) {
        if (isTransient(error)) {
          // API away: keep the logs; the states' reporters retry with backoff
          this.logs.putBack(taken);
          for (const s of [...states, ...this.states.splice(0)]) s.reject(error);
          return;
        }
        if (batch.length === 0) {
          for (const s of states) s.reject(error);
          continue;
        }
        // Rejected as a whole with logs in it (e.g. too large): drop the logs, not the states.
        this.options.logger.error(`Failed to write ${batch.length} run log(s): ${(error as Error).message}`);
        this.states.unshift(...states);
        continue;
      }
      states.forEach((s, i) => {
        const error = results.states[i];
        if (error) s.reject(error);
        else s.resolve();
      });
      if (results.logs && isTransient(results.logs)) {
        this.logs.putBack(taken);
        for (const s of this.states.splice(0)) s.reject(results.logs);
        return;
      }
      if (results.logs) this.options.logger.error(`Failed to write ${batch.length} run log(s): ${results.logs.message}`);
    }
  }
}
