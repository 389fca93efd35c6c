import { Worker } from 'node:worker_threads';

/** What one `PRAGMA wal_checkpoint(PASSIVE)` reported. */
export interface CheckpointResult {
  /** 1 when another checkpoint or a writer kept it from running */
  busy: number;
  /** frames in the WAL */
  log: number;
  /** frames copied into the database file so far */
  checkpointed: number;
}

export interface Checkpointer {
  /** Resolves after the next checkpoint the worker completes. */
  next(): Promise<CheckpointResult>;
  /** A last checkpoint, then the worker's connection is closed. */
  close(): Promise<void>;
}

/** Main connection's own fallback: checkpoint in the commit only if the WAL passes this many pages. */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

// Runs in the worker: its own connection, a PASSIVE checkpoint every `intervalMs` (cheap when the
// WAL has nothing new), and one last checkpoint on "close".
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const tick = () => {
  try { parentPort.postMessage({ result: db.pragma('wal_checkpoint(PASSIVE)')[0] }); }
  catch (error) { parentPort.postMessage({ error: String(error && error.message || error) }); }
};
const timer = setInterval(tick, workerData.intervalMs);
parentPort.on('message', () => { clearInterval(timer); tick(); db.close(); parentPort.close(); });
`;

/**
 * Checkpoints a WAL-mode SQLite file on a worker thread. SQLite otherwise checkpoints inside the
 * commit that crosses `wal_autocheckpoint` pages: the commit then copies ~1,000 pages and fsyncs
 * twice, which stalled the server's event loop for 5–15 ms a few times a second under load. Here
 * the copy and the fsyncs happen beside the event loop; a PASSIVE checkpoint never blocks writers
 * or readers. Durability is unchanged: a commit is in the WAL before it is acknowledged.
 */
export function startCheckpointer(file: string, options: { intervalMs?: number; onError?: (err: Error) => void } = {}): Checkpointer {
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, driver: require.resolve('better-sqlite3'), intervalMs: options.intervalMs ?? 200 } });
  worker.unref();
  let waiters: ((r: CheckpointResult) => void)[] = [];
  // a failing checkpoint fails again every tick: report the first of a run, not each one
  let failing = false;
  worker.on('message', (m: { result?: CheckpointResult; error?: string }) => {
    if (m.error && !failing) options.onError?.(new Error(`WAL checkpoint failed: ${m.error}`));
    failing = m.error !== undefined;
    if (!m.result) return;
    const woken = waiters;
    waiters = [];
    for (const w of woken) w(m.result);
  });
  worker.on('error', (err) => options.onError?.(new Error(`WAL checkpoint worker stopped: ${err.message}`)));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  let closing: Promise<void> | undefined;
  return {
    next: () => new Promise((resolve) => waiters.push(resolve)),
    close: () => {
      closing ??= (async () => {
        worker.postMessage('close');
        const timer = setTimeout(() => void worker.terminate(), 5000);
        await exited;
        clearTimeout(timer);
      })();
      return closing;
    },
  };
}
