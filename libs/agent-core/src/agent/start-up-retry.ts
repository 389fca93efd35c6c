import { isTransient } from '../control-plane/agent-api.js';
import type { Logger } from '../logging/logger.js';
import { jitteredDelay, type JitteredBackoffOptions } from '../loop/backoff.js';

export interface StartUpRetryOptions {
  logger: Logger;
  signal: AbortSignal;
  backoff?: Partial<JitteredBackoffOptions>;
  /** Called with the reason of every failed attempt (health reporting). */
  onFailure?: (reason: string) => void;
  sleep?: (ms: number, signal: AbortSignal) => Promise<unknown>;
}

export const START_UP_BACKOFF: JitteredBackoffOptions = { baseMs: 1000, capMs: 30_000, jitter: 0.5 };

const defaultSleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * Runs `step` until it succeeds. A transient failure (API unreachable, 5xx) is logged with its
 * reason and retried after capped, jittered backoff; anything else (rejected key, unknown agent
 * config) is thrown at once. Returns undefined when `signal` aborted first.
 */
export async function retryStartUp<T>(what: string, step: () => Promise<T>, options: StartUpRetryOptions): Promise<T | undefined> {
  const backoff = { ...START_UP_BACKOFF, ...options.backoff };
  const sleep = options.sleep ?? defaultSleep;
  for (let attempt = 0; !options.signal.aborted; attempt += 1) {
    try {
      return await step();
    } catch (error) {
      if (!isTransient(error) || options.signal.aborted) {
        if (options.signal.aborted) return undefined;
        throw error;
      }
      const delay = jitteredDelay(attempt, backoff);
      const reason = (error as Error).message;
      options.onFailure?.(reason);
      options.logger.error(`${what} failed (attempt ${attempt + 1}): ${reason}. Retrying in ${(delay / 1000).toFixed(1)} s`);
      await sleep(delay, options.signal);
    }
  }
  return undefined;
}
