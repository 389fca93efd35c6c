import { setTimeout as sleep } from 'node:timers/promises';
import { ControlPlaneError } from '../errors.js';
import type { Client } from './client.js';
import { isFinished, isSuccessful } from './states.js';
import type { FlowRunInfo, LogEntry, WatchEvent, WatchOptions } from './types.js';

/** Consecutive failed polls tolerated before the watch gives up (a restarting server). */
const MAX_POLL_ERRORS = 20;

class LogCursor {
  private since?: string;
  private readonly seen = new Set<string>();
  constructor(private readonly client: Client, private readonly runId: string) {}

  /** New logs since the last call (by server `created`, de-duplicated by id), oldest first. */
  async next(): Promise<LogEntry[]> {
    const batch = await this.client.logsSince(this.runId, this.since, 1000);
    if (batch.lastCreated && (!this.since || batch.lastCreated > this.since)) this.since = batch.lastCreated;
    const fresh = batch.filter((l) => !this.seen.has(l.id));
    for (const l of fresh) this.seen.add(l.id);
    return fresh;
  }
}

/**
 * Polls a flow run every `intervalMs`: yields each observed state change and each new log line,
 * then `finished` once the run reached a finished state and its last logs were read.
 */
export async function* watchFlowRun(client: Client, id: string, options: WatchOptions = {}): AsyncGenerator<WatchEvent> {
  const interval = options.intervalMs ?? 250;
  const withLogs = options.logs ?? true;
  const cursor = new LogCursor(client, id);
  let lastState: string | undefined;
  let lastVersion = -1;
  let errors = 0;
  for (;;) {
    options.signal?.throwIfAborted();
    let run: FlowRunInfo;
    let logs: LogEntry[];
    try {
      run = await client.getFlowRun(id);
      logs = withLogs ? await cursor.next() : [];
      errors = 0;
    } catch (error) {
      if (!(error instanceof ControlPlaneError) || error.code !== 'API_UNREACHABLE' || ++errors >= MAX_POLL_ERRORS) throw error;
      await sleep(interval, undefined, { signal: options.signal });
      continue;
    }
    const finished = isFinished(run.state);
    const changed = run.state !== lastState || run.version !== lastVersion;
    if (changed && !finished) yield stateEvent(run);
    for (const log of logs) yield { type: 'log', log };
    lastState = run.state;
    lastVersion = run.version;
    if (finished) {
      // Our agent ships a run's logs before its final state; one more read covers logs written
      // between the two reads above.
      if (withLogs) for (const log of await cursor.next()) yield { type: 'log', log };
      yield stateEvent(run);
      yield { type: 'finished', run, success: isSuccessful(run.state) };
      return;
    }
    await sleep(interval, undefined, { signal: options.signal });
  }
}

function stateEvent(run: FlowRunInfo): WatchEvent {
  return { type: 'state', state: run.state, message: run.state_message, timestamp: new Date().toISOString(), run };
}
